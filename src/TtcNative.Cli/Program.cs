return TtcNative.Cli.CliApp.Run(args);
