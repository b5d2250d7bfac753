import ArgumentParser
import FSLMInference
import FSLMPlugins
import FSLMServer
import FSLMWorkflow
import Foundation

/// `fslm serve`: the OpenAI-compatible API and the workflows over one shared inference core.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve models (OpenAI-compatible API) and workflows over HTTP.",
        discussion: """
            Endpoints: GET /healthz, GET /metrics, GET /v1/models, POST /v1/completions, \
            POST /v1/chat/completions, GET /v1/workflows, POST /v1/workflows/NAME/runs (?stream=true). \
            --model NAME=DIR serves a model folder; --model NAME=FILE.yaml[#MODEL] serves a model a \
            workflow declares (scripted ones too). --adapter NAME=BASE:DIR serves a LoRA adapter over \
            a folder model (over a workflow's model, the target is one of its adapter names). \
            The line 'listening on http://HOST:PORT' goes to stderr once connections are accepted. \
            SIGTERM or SIGINT stops accepting, lets requests in progress finish, and exits 0.
            """)

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: ArgumentHelp("Serve every workflow (*.yaml, *.yml) in this folder by its name.", valueName: "dir"))
    var workflows: String?
    @Option(name: .customLong("model"), help: ArgumentHelp("A model to serve (repeatable).", valueName: "name=dir|file.yaml[#model]"))
    var models: [String] = []
    @Option(name: .customLong("adapter"), help: ArgumentHelp("A LoRA adapter to serve as its own model name (repeatable).", valueName: "name=base:dir"))
    var adapters: [String] = []
    @Option(help: ArgumentHelp("Require 'Authorization: Bearer KEY', KEY read from this variable.", valueName: "name"))
    var apiKeyEnv: String?
    @Option(help: "The largest request body accepted, in bytes.") var maxBodyBytes = 1 << 20
    @Option(help: "Requests in progress at once; more are answered 429.") var maxConcurrentRequests = 64
    @OptionGroup var plugins: PluginOptions

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        if maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be at least 1") }
        if maxConcurrentRequests < 1 { throw ValidationError("--max-concurrent-requests must be at least 1") }
        _ = try models.map(ServedModelLoading.base)
        _ = try adapters.map(ServedModelLoading.adapter)
    }

    func run() async throws {
        var apiKey: String?
        if let name = apiKeyEnv {
            guard let key = ProcessInfo.processInfo.environment[name], !key.isEmpty else {
                Terminal.err("error: --api-key-env \(name): the variable is not set\n")
                throw ExitCode(1)
            }
            apiKey = key
        }
        let core = InferenceCore.shared
        let served = try await ServedModelLoading(core: core).load(try models.map(ServedModelLoading.base), try adapters.map(ServedModelLoading.adapter))
        // Base models load now, so a broken one stops the server instead of failing requests.
        for entry in served.entries where entry.adapter == nil {
            do { _ = try await core.model(entry.key) } catch {
                Terminal.err("error: --model \(entry.name): \(error)\n")
                throw ExitCode(1)
            }
        }
        let workflowList = try workflows.map(loadWorkflows) ?? []
        let server = APIServer(
            configuration: ServerConfiguration(host: host, port: port, apiKey: apiKey, maxBodyBytes: maxBodyBytes,
                                               maxConcurrentRequests: maxConcurrentRequests),
            models: served, workflows: workflowList, core: core)
        let summary = "models: \(served.entries.isEmpty ? "none" : served.entries.map(\.name).joined(separator: ", ")); "
            + "workflows: \(workflowList.isEmpty ? "none" : workflowList.map(\.name).sorted().joined(separator: ", "))"
        do {
            try await server.run { port in Terminal.err("fslm serve: listening on http://\(host):\(port) (\(summary))\n") }
        } catch {
            Terminal.err("error: cannot serve on \(host):\(port): \(error)\n")
            throw ExitCode(1)
        }
        await CommandValidators.shutdownAll()
        Terminal.err("fslm serve: stopped\n")
    }

    /// Every workflow in `folder`, checked; one with errors ends the command (exit 1).
    func loadWorkflows(_ folder: String) throws -> [ServedWorkflow] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            Terminal.err("error: --workflows \(folder): no such folder\n")
            throw ExitCode(1)
        }
        var loaded: [String: String] = [:]
        return try files.map { file in
            let path = URL(fileURLWithPath: folder).appendingPathComponent(file).path
            let (workflow, pluginSet) = try WorkflowLoading.load(WorkflowOptions.parse([path] + plugins.folders.flatMap { ["--plugin", $0] }))
            if let other = loaded[workflow.spec.name] {
                Terminal.err("error: \(path): the workflow name '\(workflow.spec.name)' is also the name of \(other)\n")
                throw ExitCode(1)
            }
            loaded[workflow.spec.name] = path
            return ServedWorkflow(workflow: workflow, validators: pluginSet.validatorRegistry { CommandValidators.make($0) })
        }
    }
}
