import ArgumentParser
import FSLMTransformer
import Foundation

/// `fslm tokenize --tokenizer FILE [TEXT]`: token ids as JSON.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text as a JSON array.",
        discussion: """
            With no TEXT, reads standard input as JSON lines (one JSON string per line) and prints \
            one JSON array of ids per line, to check whole corpora in one process.
            """)

    @Option(help: ArgumentHelp("A tokenizer.json file.", valueName: "file")) var tokenizer: String
    @Flag(help: "Add the special tokens the tokenizer's post-processor adds (e.g. BOS).") var specialTokens = false
    @Argument(help: "The text to tokenize.") var text: String?

    func run() throws {
        let loaded: Tokenizer
        do { loaded = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer)) } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        if let text {
            Terminal.out(Self.json(loaded.encode(text, addSpecialTokens: specialTokens)) + "\n")
            return
        }
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            // JSONDecoder, not JSONSerialization: on Linux, bridging its NSString drops a leading U+FEFF.
            guard let value = try? JSONDecoder().decode(String.self, from: Data(line.utf8)) else {
                Terminal.err("error: stdin line \(number): expected one JSON string\n")
                throw ExitCode(1)
            }
            Terminal.out(Self.json(loaded.encode(value, addSpecialTokens: specialTokens)) + "\n")
        }
    }

    static func json(_ ids: [Int]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}
