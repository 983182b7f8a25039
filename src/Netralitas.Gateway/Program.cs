using Netralitas.Gateway;
using Netralitas.Gateway.Tools;

if (args.FirstOrDefault() == ImportPersonnelCommand.Verb)
{
    return await ImportPersonnelCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
if (args.FirstOrDefault() == DevelopmentCredentialsCommand.Verb)
{
    return await DevelopmentCredentialsCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
if (args.FirstOrDefault() == DevelopmentTokenCommand.Verb)
{
    return await DevelopmentTokenCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var app = GatewayApplication.Build(args);
await app.RunAsync();
return 0;
