import ArgumentParser
import FSLMInference
import FSLMTransformer
import Foundation

/// `fslm generate --model DIR PROMPT`: one model, no workflow; the continuation is streamed.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt with one native model (no workflow).",
        discussion: "Prints only the continuation, as it is generated.")

    @Option(help: ArgumentHelp("A Hugging Face model folder (config.json, model.safetensors, tokenizer.json).", valueName: "dir"))
    var model: String

    @Option(help: ArgumentHelp("A PEFT LoRA adapter folder to apply.", valueName: "dir"))
    var adapter: String?

    @Option(help: "Tokens to generate at most.") var maxTokens: Int = 64
    @Option(help: "0 is greedy.") var temperature: Double = 0
    @Option(help: "Top-k sampling (0: off).") var topK: Int = 0
    @Option(help: "Nucleus sampling mass (1: off).") var topP: Double = 1
    @Option(help: "Seed for sampling.") var seed: UInt64?
    @Option(name: .customLong("stop"), help: "Stop before this string (repeatable).") var stops: [String] = []

    @Argument(help: "The prompt.") var prompt: String

    func validate() throws {
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if temperature < 0 { throw ValidationError("--temperature must be at least 0") }
    }

    func run() async throws {
        let native: NativeModel
        do {
            native = try NativeModel(folder: URL(fileURLWithPath: model), adapters: adapter.map { ["adapter": URL(fileURLWithPath: $0)] } ?? [:])
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        let request = GenerationRequest(
            prompt: prompt, adapter: adapter == nil ? nil : "adapter", maxTokens: maxTokens, temperature: temperature,
            topK: topK, topP: topP, seed: seed, stop: stops)
        do {
            for try await event in native.stream(request) {
                if case .text(let piece) = event { Terminal.out(piece) }
            }
            Terminal.out("\n")
        } catch {
            Terminal.err("\nerror: \(error)\n")
            throw ExitCode(1)
        }
    }
}
