import ArgumentParser
import FSLMTransformer
import Foundation

/// `fslm export-merged`: a model folder with a LoRA adapter merged in, for servers without LoRA.
struct ExportMergedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-merged",
        abstract: "Write a Hugging Face model folder with a LoRA adapter merged into the base weights.",
        discussion: """
            For servers that cannot apply adapters (e.g. vLLM with GPT-NeoX bases): export one \
            merged model per stage adapter and serve each under its own name. Tensors keep the base \
            model's type; config.json and the tokenizer files are copied.
            """)

    @Option(help: ArgumentHelp("The base model folder.", valueName: "dir")) var model: String
    @Option(help: ArgumentHelp("The PEFT LoRA adapter folder.", valueName: "dir")) var adapter: String
    @Option(help: ArgumentHelp("The folder to write (must not exist, or be empty).", valueName: "dir")) var out: String

    func run() throws {
        let output = URL(fileURLWithPath: out)
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: out), !contents.isEmpty {
            Terminal.err("error: --out \(out): the folder is not empty\n")
            throw ExitCode(1)
        }
        let summary: MergedModelExport.Summary
        do {
            summary = try MergedModelExport.export(model: URL(fileURLWithPath: model), adapter: URL(fileURLWithPath: adapter), to: output)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        Terminal.err("merged \(summary.merged) of \(summary.tensors) weights into \(output.appendingPathComponent(ModelFolder.weightsFile).path)\n")
        if !summary.leftOut.isEmpty {
            Terminal.err("note: left out tensors fslm does not read: \(summary.leftOut.joined(separator: ", "))\n")
        }
    }
}
