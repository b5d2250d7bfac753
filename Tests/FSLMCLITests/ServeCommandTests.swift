import FSLMOpenAI
import FSLMTestSupport
import Foundation
import Testing

/// `fslm serve` on loopback: workflows whose stages use `backend: openai` against it give what
/// the same stages give in-process, on scripted and native models; its OpenAI endpoints answer
/// whole and streamed.
@Suite struct ServeCommandTests {
    /// A scratch folder holding `local.yaml` and `remote.yaml` (see `ServeFixtures`).
    func scratch(api: String = "completions", keyEnv: String? = nil, delay: String? = nil) throws -> ScratchFile {
        let scratch = try ScratchFile("local.yaml")
        try scratch.write(ServeFixtures.local(delay: delay), to: "local.yaml")
        try scratch.write(ServeFixtures.remote(api: api, keyEnv: keyEnv), to: "remote.yaml")
        return scratch
    }

    @Test(arguments: ["completions", "chat"])
    func aWorkflowOnTheServedScriptedModelMatchesTheInProcessRun(_ api: String) async throws {
        let scratch = try scratch(api: api)
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments, in: scratch.folder)
        for ticket in ["I want a refund", "The app crashes"] {
            let local = try scratch.run(["run", "local.yaml", "--json", "--quiet", "--input", "ticket=\(ticket)"])
            let remote = try scratch.run(["run", "remote.yaml", "--json", "--quiet", "--input", "ticket=\(ticket)"],
                                         environment: ["FSLM_TEST_URL": server.url + "/v1"])
            #expect(local.status == 0, "\(local.stderr)")
            #expect(remote.status == 0, "\(remote.stderr)")
            #expect(remote.stdout == local.stdout)
            #expect(local.stdout.contains(#""status" : "succeeded""#))
        }
        #expect(try await server.terminate() == 0)
    }

    @Test func aWorkflowOnTheServedNativeModelGivesTheInProcessGreedyOutputs() async throws {
        let fixture = try NativeFixture.load().workflow
        let folder = NativeFixture.modelFolder("gpt-neox").path
        let scratch = try ScratchFile("remote.yaml")
        defer { scratch.remove() }
        let local = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent(NativeFixture.workflowPath), encoding: .utf8)
        let model = try #require(local.range(of: "models:")).lowerBound
        let defaults = try #require(local.range(of: "defaults:")).lowerBound
        let remote = local.replacingCharacters(in: model..<defaults, with: """
            models:
              tiny:
                backend: openai
                base_url: ${env.FSLM_TEST_URL}
                model: tiny
                adapters: { draft: tiny-draft, polish: tiny-polish }

            """)
        try scratch.write(remote, to: "remote.yaml")
        let server = try await ServeProcess.start([
            "--model", "tiny=\(folder)", "--adapter", "tiny-draft=tiny:\(folder)/adapter", "--adapter", "tiny-polish=tiny:\(folder)/adapter2",
        ])
        let inProcess = try CLI.run(["run", NativeFixture.workflowPath, "--json", "--quiet"])
        let served = try scratch.run(["run", "remote.yaml", "--json", "--quiet"], environment: ["FSLM_TEST_URL": server.url + "/v1"])
        #expect(inProcess.status == 0, "\(inProcess.stderr)")
        #expect(served.status == 0, "\(served.stderr)")
        #expect(served.stdout == inProcess.stdout)
        for stage in fixture.stages {
            #expect(served.stdout.contains(Completions.json(stage.output)), "\(stage.stage): \(served.stdout)")
        }
        #expect(try await server.terminate() == 0)
    }

    @Test func completionsAnswerWholeAndStreamedAlike() async throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments, in: scratch.folder)
        let models = try await LoopbackHTTP.get(server.url + "/v1/models")
        #expect(models.status == 200)
        #expect((models.json["data"] as? [[String: Any]])?.map { $0["id"] as? String } == ["fake", "fake-route", "fake-answer"])

        let request = #"{"model": "fake-answer", "prompt": "Hi", "temperature": 0, "stop": "\n""#
        let whole = try await LoopbackHTTP.post(server.url + "/v1/completions", request + "}")
        #expect(whole.status == 200, "\(whole.body)")
        let choice = try #require((whole.json["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "We will look into it within 5 days.")
        #expect(choice["finish_reason"] as? String == "stop" && choice["stop_reason"] as? String == "\n")

        let streamed = try await LoopbackHTTP.post(server.url + "/v1/completions", request + #", "stream": true, "stream_options": {"include_usage": true}}"#)
        #expect(streamed.status == 200 && streamed.headers["content-type"] == "text/event-stream")
        let events = streamed.events
        #expect(events.last == .done)
        let chunks = try events.dropLast().map { try JSONDecoder().decode(CompletionResponse.self, from: Data($0.data.utf8)) }
        #expect(chunks.compactMap(\.choices.first?.text).joined() == "We will look into it within 5 days.")
        #expect(chunks.count > 3, "streamed in pieces")
        #expect(chunks.last?.usage?.completionTokens == 16)

        let chat = try await LoopbackHTTP.post(server.url + "/v1/chat/completions",
                                               #"{"model": "fake-route", "messages": [{"role": "user", "content": "a refund please"}], "stream": true}"#)
        let deltas = try chat.events.dropLast().map { try JSONDecoder().decode(ChatCompletionResponse.self, from: Data($0.data.utf8)) }
        #expect(deltas.first?.choices.first?.delta?.role == "assistant")
        #expect(deltas.compactMap(\.choices.first?.delta?.content).joined() == "billing")
        #expect(deltas.last?.choices.first?.finishReason == "stop")

        let unknown = try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "gpt-9", "prompt": "x"}"#)
        #expect(unknown.status == 404)
        #expect((unknown.json["error"] as? [String: Any])?["message"] as? String == "the model 'gpt-9' does not exist; served: fake, fake-route, fake-answer")
        let bad = try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "fake", "prompt": 3}"#)
        #expect(bad.status == 400)
        #expect((bad.json["error"] as? [String: Any])?["message"] as? String == "the request body is not a valid request: 'prompt' must be a string")
        #expect(try await server.terminate() == 0)
    }

    @Test func badServeArgumentsAreNamed() throws {
        let usage = try CLI.run(["serve", "--model", "nameonly"])
        #expect(usage.status == 64 && usage.stderr.contains("--model expects NAME=DIR or NAME=FILE.yaml[#MODEL], got 'nameonly'"), "\(usage.stderr)")
        let adapter = try CLI.run(["serve", "--adapter", "a=b"])
        #expect(adapter.status == 64 && adapter.stderr.contains("--adapter expects NAME=BASE:DIR, got 'a=b'"), "\(adapter.stderr)")
        let missing = try CLI.run(["serve", "--model", "m=/no/such/thing"])
        #expect(missing.status == 1 && missing.stderr.contains("error: --model m=/no/such/thing: no such model folder or workflow file"), "\(missing.stderr)")
        let empty = try ScratchFile("model")
        defer { empty.remove() }
        let broken = try CLI.run(["serve", "--model", "m=\(empty.folder.path)"])
        #expect(broken.status == 1 && broken.stderr.hasPrefix("error: --model m: \(empty.folder.path)"), "\(broken.stderr)")
        #expect(broken.stderr.contains("config.json"), "\(broken.stderr)")
        let folder = NativeFixture.modelFolder("gpt-neox").path
        let adapterMissing = try CLI.run(["serve", "--model", "m=\(folder)", "--adapter", "a=m:/no/such/adapter"])
        #expect(adapterMissing.status == 1 && adapterMissing.stderr.hasPrefix("error: --adapter a=m:/no/such/adapter: "), "\(adapterMissing.stderr)")
        let key = try CLI.run(["serve", "--api-key-env", "FSLM_NO_SUCH_VARIABLE"])
        #expect(key.status == 1 && key.stderr.contains("error: --api-key-env FSLM_NO_SUCH_VARIABLE: the variable is not set"), "\(key.stderr)")
    }
}

/// JSON text of a string, as `--json` prints it.
enum Completions {
    static func json(_ text: String) -> String { String(decoding: try! JSONEncoder().encode(text), as: UTF8.self) }
}
