using Netralitas.DevHost;
using Netralitas.Gateway;

switch (args.FirstOrDefault())
{
    case DevelopmentCredentialsCommand.Verb:
        return await DevelopmentCredentialsCommand.RunAsync(args[1..], Console.Out, Console.Error);
    case DevelopmentTokenCommand.Verb:
        return await DevelopmentTokenCommand.RunAsync(args[1..], Console.Out, Console.Error);
}
var demo = args.Contains(GatewayProgram.DemoSwitch);
return await GatewayProgram.RunAsync(
    args.Where(a => a != GatewayProgram.DemoSwitch).ToArray(),
    demo ? DemoMode.Configure : null);
