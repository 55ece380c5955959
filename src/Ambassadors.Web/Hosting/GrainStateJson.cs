using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace Ambassadors.Web.Hosting;

/// <summary>
/// How grain state is stored, on both engines: plain JSON of the grain's own state type (System.Text.Json, property names
/// as declared, enums by name), with no .NET type names in it, so moving or renaming a class never strands stored state.
/// State written before (Orleans' default Newtonsoft serializer, which wrote "$type" and "$id" into every object and
/// wrapped collections in "$values") is still read: its metadata is dropped and the rest maps onto the same property names.
/// </summary>
public sealed class GrainStateJson : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input)
    {
        var node = JsonNode.Parse(input.ToMemory().Span);
        if (node is JsonObject root && root.ContainsKey("$type")) node = WithoutNewtonsoftMetadata(root);
        return node.Deserialize<T>(Options)!;
    }

    /// <summary>The same tree without Newtonsoft's "$id"/"$type", and with {"$values": [...]} replaced by the array.</summary>
    public static JsonNode? WithoutNewtonsoftMetadata(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.ContainsKey("$ref"):
                throw new JsonException("Stored grain state holds a shared reference ($ref); it was not written by this service.");
            case JsonObject obj when obj.TryGetPropertyValue("$values", out var values):
                return WithoutNewtonsoftMetadata(values?.DeepClone());
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (name is "$id" or "$type") continue;
                    copy[name] = WithoutNewtonsoftMetadata(value?.DeepClone());
                }
                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(item => WithoutNewtonsoftMetadata(item?.DeepClone())).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
