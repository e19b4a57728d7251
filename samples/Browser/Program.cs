using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using NetGen.Samples.Browser;

// The page runs entirely in the browser: the .NET runtime (WebAssembly), NetGen's generated network and the digits data
// all come with the published site, and nothing is fetched from elsewhere.
WebAssemblyHostBuilder builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
await builder.Build().RunAsync();
