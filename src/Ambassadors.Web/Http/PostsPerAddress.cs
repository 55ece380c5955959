using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Ambassadors.Web.Http;

/// <summary>The pages' one kind of rate limit: form posts per client address in a fixed window of a minute (sign-in, applications).</summary>
public static class PostsPerAddress
{
    /// <param name="perMinute">The configured limit, read from the request's services.</param>
    public static RateLimiterOptions AddPostsPerAddressPolicy(this RateLimiterOptions options, string name, Func<IServiceProvider, int> perMinute) =>
        options.AddPolicy(name, context => !HttpMethods.IsPost(context.Request.Method)
            // A key no address has: a partition's limiter is made once per key, and an unknown address is "".
            ? RateLimitPartition.GetNoLimiter("(not a post)")
            : RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute(context.RequestServices),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
}
