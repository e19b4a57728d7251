using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace NetGen.BrowserCheck;

/// <summary>
/// Serves a published Blazor WebAssembly site (its <c>wwwroot</c>) on 127.0.0.1 at a free port, with the MIME types
/// the browser insists on (<c>application/wasm</c> for <c>.wasm</c>, which WebAssembly streaming compilation needs).
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The site's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="root"/>.</summary>
    /// <param name="root">The published <c>wwwroot</c> folder, with <c>index.html</c>.</param>
    /// <exception cref="DirectoryNotFoundException">There is no <c>index.html</c> in <paramref name="root"/>.</exception>
    public static async Task<StaticSite> StartAsync(string root)
    {
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            throw new DirectoryNotFoundException($"No index.html in {root}: pass the published site's wwwroot.");
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root, WebRootPath = root });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0"); // a free port
        WebApplication app = builder.Build();

        var files = new PhysicalFileProvider(root);
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wasm"] = "application/wasm";
        types.Mappings[".dat"] = "application/octet-stream";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
        await app.StartAsync();

        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StaticSite(app, new Uri(url.EndsWith('/') ? url : url + "/"));
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
