using Netralitas.Gateway;

return await GatewayProgram.RunAsync(args);
