using Ambassadors.Data;
using Ambassadors.Web.Access;

namespace Ambassadors.Tests.Access;

/// <summary>One name per user role, as stored in AppUser.Role (values unchanged) and read back from a cookie.</summary>
public class UserRolesTests
{
    [Fact]
    public void NamesAreTheStoredValuesAndParseOnlyAsWritten()
    {
        Assert.Equal(["admin", "manager", "finance", "ambassador"], Enum.GetValues<UserRole>().Select(r => r.Name()));
        Assert.Equal(["admin", "manager", "finance"], StaffAccounts.Roles);
        foreach (var role in Enum.GetValues<UserRole>())
        {
            Assert.True(UserRoles.TryParse(role.Name(), out var parsed));
            Assert.Equal(role, parsed);
        }
        foreach (var text in new[] { "Admin", "merchant", "0", "", null })
        {
            Assert.False(UserRoles.TryParse(text, out _));
        }
    }

    [Theory]
    [InlineData("finance", "/finance")]
    [InlineData("admin", "/finance")]
    [InlineData("manager", "/manage")]
    [InlineData("ambassador", "/portal")]
    [InlineData("merchant", "/login")]
    [InlineData("Finance", "/login")]
    public void EachRoleLandsOnItsWorkspace(string role, string home) => Assert.Equal(home, StaffSignIn.HomeOf(role));
}
