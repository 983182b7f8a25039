using Netralitas.Gateway;

var app = GatewayApplication.Build(args);
await app.RunAsync();
