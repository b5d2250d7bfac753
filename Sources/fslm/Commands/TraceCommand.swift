import ArgumentParser
import FSLMEngine

/// `fslm trace show FILE.jsonl`.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Read run traces.", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a trace as a tree of stages and attempts, with every prompt and reply.")

        @Argument(help: "A trace written by 'fslm run --trace'.", completion: .file(extensions: ["jsonl"]))
        var file: String

        func run() throws {
            do {
                Terminal.out(try TraceReport(path: file).text)
            } catch {
                Terminal.err("\(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
