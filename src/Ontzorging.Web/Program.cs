using Ontzorging.Web.Hosting;

await WebApp.Build(args).RunAsync();
