using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Web.DevIdentity;

namespace Ontzorging.Web.Pages.Idp;

/// <summary>The development identity provider's own sign-in page (never the site's).</summary>
public sealed class LoginModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost()
    {
        if (DevIdentityProvider.Check(Username, Password) is not { } user)
        {
            Failed = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await DevIdentityProvider.SignIn(HttpContext, user);
        return LocalRedirect(Hosting.SignInEndpoints.Local(ReturnUrl));
    }
}
