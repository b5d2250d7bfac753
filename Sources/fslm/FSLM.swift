import ArgumentParser

/// The `fslm` command line: thin; it parses, calls FSLMEngine and prints.
@main
struct FSLM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fslm",
        abstract: "Run stacks of small language models declared as YAML workflows.",
        version: "0.1.0",
        subcommands: [ValidateCommand.self, GraphCommand.self, DryRunCommand.self, RunCommand.self, EvalCommand.self, TraceCommand.self, PluginsCommand.self, GenerateCommand.self, TokenizeCommand.self, BenchCommand.self, ServeCommand.self, ExportMergedCommand.self]
    )
}
