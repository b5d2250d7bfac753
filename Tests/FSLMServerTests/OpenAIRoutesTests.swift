import FSLMInference
@testable import FSLMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The OpenAI routes through the router, on a scripted model: chat prompts, request checks,
/// guided choices and the metrics they leave.
@Suite struct OpenAIRoutesTests {
    /// A server with the scripted model `m` and its adapter `yes` served as `m-yes`.
    func server() async -> APIServer {
        let core = InferenceCore()
        let script = ScriptedScript(rules: [
            .init(promptPattern: "^System: be brief\nUser: hi\nAssistant: hello\nUser: bye\nAssistant:$", replies: ["goodbye"]),
            .init(adapter: "yes", replies: ["maybe"]),
            .init(replies: ["plain"]),
        ])
        await core.register("m") { try ScriptedModel(script: script) }
        var models = ServedModels()
        models.add(.init(name: "m", key: "m"))
        models.add(.init(name: "m-yes", key: "m", adapter: "yes", parent: "m"))
        return APIServer(configuration: ServerConfiguration(), models: models, workflows: [], core: core)
    }

    /// POSTs `body` to `path` and returns the status and the body as JSON.
    func post(_ server: APIServer, _ path: String, _ body: String) async throws -> (Int, [String: Any]) {
        try await Application(router: server.router()).test(.router) { client in
            try await client.execute(uri: path, method: .post, body: ByteBuffer(string: body)) { response in
                let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
                return (Int(response.status.code), json ?? [:])
            }
        }
    }

    func message(_ json: [String: Any]) -> String? { (json["error"] as? [String: Any])?["message"] as? String }

    @Test func aChatOfSeveralMessagesBecomesRoleLines() async throws {
        let messages = #"[{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}, {"role": "user", "content": "bye"}]"#
        let (status, json) = try await post(await server(), "/v1/chat/completions", #"{"model": "m", "messages": \#(messages)}"#)
        #expect(status == 200)
        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
        #expect((choice["message"] as? [String: Any])?["content"] as? String == "goodbye")
        #expect(json["object"] as? String == "chat.completion")
    }

    @Test func badRequestsAreNamed() async throws {
        let server = await server()
        for (body, expected) in [
            (#"{"model": "m", "prompt": "x", "max_tokens": 0}"#, "'max_tokens' must be at least 1, got 0"),
            (#"{"model": "m", "prompt": "x", "temperature": -1}"#, "'temperature' must be between 0 and 100, got -1.0"),
            (#"{"model": "m", "prompt": "x", "top_p": 0}"#, "'top_p' must be in (0, 1], got 0.0"),
            (#"{"model": "m", "prompt": "x", "guided_choice": []}"#, "'guided_choice' is empty"),
            (#"{"prompt": "x"}"#, "the request body is not a valid request: 'model' is missing"),
            ("not json", "the request body is not a valid request: it is not valid JSON"),
        ] {
            let (status, json) = try await post(server, "/v1/completions", body)
            #expect(status == 400, "\(body)")
            #expect(message(json) == expected, "\(body)")
        }
        let (status, json) = try await post(server, "/v1/chat/completions", #"{"model": "m", "messages": [{"role": "tool", "content": "x"}]}"#)
        #expect(status == 400 && message(json) == "'messages.0.role' must be system, user or assistant, got 'tool'")
    }

    @Test func anAdapterIsAModelNameAndAGuidedChoiceIsEnforced() async throws {
        let server = await server()
        let (status, json) = try await post(server, "/v1/completions", #"{"model": "m-yes", "prompt": "x", "guided_choice": ["maybe", "no"]}"#)
        #expect(status == 200)
        #expect((json["choices"] as? [[String: Any]])?.first?["text"] as? String == "maybe")
        let (refused, error) = try await post(server, "/v1/completions", #"{"model": "m", "prompt": "x", "guided_choice": ["yes", "no"]}"#)
        #expect(refused == 422, "\(error)")
        #expect(message(error)?.contains("plain") == true, "\(error)")
    }

    @Test func metricsCountRequestsAndTokens() async throws {
        let server = await server()
        _ = try await post(server, "/v1/completions", #"{"model": "m", "prompt": "one two"}"#)
        _ = try await post(server, "/v1/completions", #"{"model": "m", "prompt": "x", "max_tokens": 0}"#)
        let text = server.metrics.render()
        #expect(text.contains(#"fslm_http_requests_total{route="/v1/completions",status="200"} 1"#))
        #expect(text.contains(#"fslm_http_requests_total{route="/v1/completions",status="400"} 1"#))
        #expect(text.contains(#"fslm_tokens_total{model="m",kind="prompt"} 3"#))
        #expect(text.contains(#"fslm_tokens_total{model="m",kind="completion"} 1"#))
        #expect(text.contains(#"fslm_http_request_duration_seconds_bucket{route="/v1/completions",le="+Inf"} 2"#))
        #expect(text.contains("# TYPE fslm_http_request_duration_seconds histogram"))
    }
}
