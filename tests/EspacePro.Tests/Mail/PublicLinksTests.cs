using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Common;
using EspacePro.Web.Mail;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EspacePro.Tests.Mail;

public sealed class PublicLinksTests
{
    private static PublicLinks Links(Uri? baseUrl, string environment, string? requestHost = null)
    {
        // The accessor's context is ambient (AsyncLocal): set it, or clear it, every time.
        var http = new HttpContextAccessor { HttpContext = null };
        if (requestHost is not null)
        {
            var context = new DefaultHttpContext();
            context.Request.Scheme = "http";
            context.Request.Host = new HostString(requestHost);
            http.HttpContext = context;
        }
        return new PublicLinks(Options.Create(new AppOptions { PublicBaseUrl = baseUrl }), http, new Environment(environment));
    }

    [Fact]
    public async Task Links_are_built_from_App_PublicBaseUrl()
    {
        await using var app = new TestApp();

        Assert.Equal(new Uri("https://espacepro.test/activation"), app.Services.GetRequiredService<PublicLinks>().To("/activation"));
    }

    [Fact]
    public void The_Host_header_is_ignored_when_the_base_is_configured_even_in_Development()
    {
        var links = Links(new Uri("https://espacepro.example/portail/"), Environments.Development, requestHost: "evil.example");

        Assert.Equal("https://espacepro.example/portail/mot-de-passe-oublie/lien?jeton=abc", links.To("/mot-de-passe-oublie/lien?jeton=abc").AbsoluteUri);
    }

    [Fact]
    public void Without_a_configured_base_only_Development_uses_the_request_origin()
    {
        Assert.Equal("http://localhost:5080/activation", Links(null, Environments.Development, "localhost:5080").To("/activation").AbsoluteUri);
        Assert.Throws<InvalidOperationException>(() => Links(null, Environments.Production, "evil.example").To("/activation"));
        Assert.Throws<InvalidOperationException>(() => Links(null, "Testing", "evil.example").To("/activation"));
        // Development but no request (e.g. a background job): no guess.
        Assert.Throws<InvalidOperationException>(() => Links(null, Environments.Development).To("/activation"));
    }

    [Theory]
    [InlineData("activation")]
    [InlineData("//evil.example/activation")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("")]
    public void Only_application_paths_are_accepted(string path)
    {
        Assert.Throws<ArgumentException>(() => Links(new Uri("https://espacepro.test"), Environments.Production).To(path));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "EspacePro.Web";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
