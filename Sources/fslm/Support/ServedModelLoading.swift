import ArgumentParser
import FSLMEngine
import FSLMInference
import FSLMServer
import FSLMTransformer
import FSLMWorkflow
import Foundation

/// Turns `fslm serve`'s `--model NAME=SOURCE` and `--adapter NAME=BASE:TARGET` into served
/// model names, declaring each model to the inference core.
///
/// A SOURCE that is a folder is a Hugging Face model folder; `--adapter` TARGETs over it are
/// PEFT adapter folders. A SOURCE `FILE.yaml` (or `FILE.yaml#MODEL`) is the model declared
/// under `models:` of that workflow as NAME (or MODEL), with any backend, scripted included;
/// `--adapter` TARGETs over it are adapter names the model knows.
struct ServedModelLoading {
    let core: InferenceCore

    /// One `--model`.
    struct Base {
        var name: String
        var source: String
    }

    /// One `--adapter`.
    struct Adapter {
        var name: String
        var base: String
        var target: String
    }

    /// Splits `--model NAME=SOURCE`.
    static func base(_ text: String) throws -> Base {
        let (name, source) = try InputOptions.split(text, option: "--model", form: "NAME=DIR or NAME=FILE.yaml[#MODEL]")
        return Base(name: name, source: source)
    }

    /// Splits `--adapter NAME=BASE:TARGET`.
    static func adapter(_ text: String) throws -> Adapter {
        let (name, rest) = try InputOptions.split(text, option: "--adapter", form: "NAME=BASE:DIR")
        guard let colon = rest.firstIndex(of: ":"), colon != rest.startIndex, rest.index(after: colon) != rest.endIndex else {
            throw ValidationError("--adapter expects NAME=BASE:DIR, got '\(text)'")
        }
        return Adapter(name: name, base: String(rest[..<colon]), target: String(rest[rest.index(after: colon)...]))
    }

    /// The served names; prints a clear error and exits 1 for a source that is neither a
    /// folder nor a workflow declaring the model, or a base no `--model` names.
    func load(_ bases: [Base], _ adapters: [Adapter]) async throws -> ServedModels {
        var served = ServedModels()
        for base in bases {
            let key: String
            if isDirectory(base.source) {
                let folder = URL(fileURLWithPath: base.source).standardizedFileURL
                key = "native:\(folder.path)#served"
                var folders: [String: URL] = [:]
                for adapter in adapters where adapter.base == base.name {
                    let url = URL(fileURLWithPath: adapter.target).standardizedFileURL
                    // Read now, so a missing or broken adapter stops the server at start.
                    do { _ = try LoRAAdapter(directory: url) { try SafetensorsFile(url: $0) } } catch {
                        Terminal.err("error: --adapter \(adapter.name)=\(adapter.base):\(adapter.target): \(error)\n")
                        throw ExitCode(1)
                    }
                    folders[adapter.name] = url
                }
                await core.register(key) { [folders] in try NativeModel(folder: folder, adapters: folders) }
            } else {
                key = try await declareWorkflowModel(base)
            }
            try add(&served, .init(name: base.name, key: key))
            for adapter in adapters where adapter.base == base.name {
                let name = isDirectory(base.source) ? adapter.name : adapter.target
                try add(&served, .init(name: adapter.name, key: key, adapter: name, parent: base.name))
            }
        }
        for adapter in adapters where !bases.contains(where: { $0.name == adapter.base }) {
            throw ValidationError("--adapter \(adapter.name)=\(adapter.base):...: no --model is named '\(adapter.base)'")
        }
        return served
    }

    private func add(_ served: inout ServedModels, _ entry: ServedModels.Entry) throws {
        guard served.add(entry) else { throw ValidationError("the model name '\(entry.name)' is given twice") }
    }

    /// Declares the model of a `FILE.yaml[#MODEL]` source; returns its core key.
    private func declareWorkflowModel(_ base: Base) async throws -> String {
        let parts = base.source.split(separator: "#", maxSplits: 1).map(String.init)
        let file = parts[0], declared = parts.count > 1 ? parts[1] : base.name
        guard file.hasSuffix(".yaml") || file.hasSuffix(".yml"), FileManager.default.fileExists(atPath: file) else {
            Terminal.err("error: --model \(base.name)=\(base.source): no such model folder or workflow file\n")
            throw ExitCode(1)
        }
        let (workflow, _) = try WorkflowLoading.load(WorkflowOptions.parse([file]))
        guard let spec = workflow.spec.model(declared) else {
            let names = workflow.spec.models.map(\.name).joined(separator: ", ")
            Terminal.err("error: --model \(base.name)=\(base.source): \(file) declares no model '\(declared)' (it declares: \(names.isEmpty ? "none" : names))\n")
            throw ExitCode(1)
        }
        let binding = ModelBinding(workflow: workflow, core: core, clock: ContinuousClock())
        await binding.register()
        return binding.key(for: spec)
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
