import FSLMInference
import FSLMOpenAI
import Foundation
import Synchronization
import Testing

/// `OpenAIModel` against fslm's test double on loopback: requests, streams, retries and every
/// kind of bad answer.
@Suite struct OpenAIModelTests {
    /// The waits the model asked for between tries (none is slept).
    final class Waits: Sendable {
        let values = Mutex<[Duration]>([])
        var all: [Duration] { values.withLock { $0 } }
        func record(_ d: Duration) { values.withLock { $0.append(d) } }
    }

    func model(_ server: TestDoubleServer, api: OpenAIEndpoint.API = .completions, key: String? = nil,
               adapters: [String: String] = [:], waits: Waits = Waits(), bases: [String]? = nil) throws -> OpenAIModel {
        let endpoint = OpenAIEndpoint(baseURLs: bases ?? [server.baseURL], model: "m", api: api, apiKey: key, adapters: adapters, timeout: .seconds(30))
        return try OpenAIModel(endpoint: endpoint) { waits.record($0) }
    }

    func withServer(_ replies: [TestDoubleServer.Reply], _ body: (TestDoubleServer) async throws -> Void) async throws {
        let server = try await TestDoubleServer.start(replies)
        do { try await body(server) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The message of the `InferenceError` `operation` throws.
    func failure(_ operation: () async throws -> Void) async -> String {
        do {
            try await operation()
            return "no error"
        } catch let error as InferenceError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func sendsSamplingStopGuidedChoiceAdapterAndKey() async throws {
        try await withServer([.answer(status: 200, body: Completions.whole("yes"))]) { server in
            let model = try model(server, key: "sekret", adapters: ["route": "m-route"])
            let request = GenerationRequest(prompt: "Q?", adapter: "route", maxTokens: 5, temperature: 0, topK: 3, seed: 7,
                                            stop: ["\n"], constraint: .choices(["yes", "no"]))
            let result = try await model.generate(request)
            #expect(result.text == "yes")
            #expect(result.promptTokens == 3 && result.completionTokens == 2)
            let sent = try #require(server.requests.first)
            #expect(sent.path == "/v1/completions")
            #expect(sent.authorization == "Bearer sekret")
            let body = try JSONSerialization.jsonObject(with: Data(sent.body.utf8)) as! [String: Any]
            #expect(body["model"] as? String == "m-route")
            #expect(body["prompt"] as? String == "Q?")
            #expect(body["max_tokens"] as? Int == 5 && body["top_k"] as? Int == 3 && body["seed"] as? Int == 7)
            #expect(body["temperature"] as? Double == 0)
            #expect(body["stop"] as? [String] == ["\n"])
            #expect(body["guided_choice"] as? [String] == ["yes", "no"])
            #expect(body["stream"] as? Bool == false)
        }
    }

    @Test func chatSendsOneUserMessageAndReadsTheMessage() async throws {
        let answer = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}]}"#
        try await withServer([.answer(status: 200, body: answer)]) { server in
            let result = try await model(server, api: .chat).generate(GenerationRequest(prompt: "Capital of France?"))
            #expect(result.text == "Paris" && result.finishReason == .endOfText)
            let sent = try #require(server.requests.first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.body.contains(#""messages":[{"content":"Capital of France?","role":"user"}]"#), "\(sent.body)")
        }
    }

    @Test func streamsPiecesAndCutsAtAStopStringTheServerIgnored() async throws {
        let chunks = [Completions.chunk("Hel"), Completions.chunk("lo\nWor"), Completions.chunk("ld", finish: "length")]
        try await withServer([.events(chunks)]) { server in
            var pieces: [String] = []
            var finished: GenerationResult?
            for try await event in try model(server).stream(GenerationRequest(prompt: "p", stop: ["\nW"])) {
                switch event {
                case .text(let piece): pieces.append(piece)
                case .finished(let result): finished = result
                }
            }
            #expect(pieces == ["Hel", "lo"])
            #expect(finished?.text == "Hello" && finished?.finishReason == .stop)
            #expect(server.requests.first?.body.contains(#""stream":true"#) == true)
        }
    }

    @Test func retriesA429AfterTheServersRetryAfter() async throws {
        let busy = TestDoubleServer.Reply.answer(status: 429, body: Completions.error("slow down"), headers: ["Retry-After": "2"])
        try await withServer([busy, .answer(status: 200, body: Completions.whole("ok"))]) { server in
            let waits = Waits()
            let result = try await model(server, waits: waits).generate(GenerationRequest(prompt: "p"))
            #expect(result.text == "ok")
            #expect(waits.all == [.seconds(2)])
            #expect(server.requests.count == 2)
        }
    }

    @Test func retries5xxWithBackoffThenGivesUpQuotingTheServer() async throws {
        try await withServer([.answer(status: 503, body: Completions.error("overloaded"))]) { server in
            let waits = Waits()
            let message = await failure { _ = try await model(server, waits: waits).generate(GenerationRequest(prompt: "p")) }
            #expect(message == "\(server.baseURL)/completions answered 503 Service Unavailable: overloaded (gave up after 4 tries)")
            #expect(waits.all == [.milliseconds(250), .milliseconds(500), .seconds(1)])
            #expect(server.requests.count == 4)
        }
    }

    @Test func a4xxIsNotRetriedAndQuotesTheServer() async throws {
        try await withServer([.answer(status: 400, body: Completions.error("'max_tokens' is too large"))]) { server in
            let message = await failure { _ = try await model(server).generate(GenerationRequest(prompt: "p")) }
            #expect(message == "\(server.baseURL)/completions answered 400 Bad Request: 'max_tokens' is too large")
            #expect(server.requests.count == 1)
        }
    }

    @Test func aServerRefusingGuidedChoiceGetsTheRequestWithoutIt() async throws {
        let refusal = TestDoubleServer.Reply.answer(status: 400, body: Completions.error("Unrecognized request argument supplied: guided_choice"))
        try await withServer([refusal, .answer(status: 200, body: Completions.whole("yes"))]) { server in
            let result = try await model(server).generate(GenerationRequest(prompt: "p", constraint: .choices(["yes", "no"])))
            #expect(result.text == "yes")
            #expect(server.requests.map { $0.body.contains("guided_choice") } == [true, false])
        }
    }

    @Test func malformedJSONIsAClearError() async throws {
        try await withServer([.answer(status: 200, body: "{\"choices\": [{\"text\": 4")]) { server in
            let message = await failure { _ = try await model(server).generate(GenerationRequest(prompt: "p")) }
            #expect(message.hasPrefix("malformed answer from \(server.baseURL)/completions: not a completion (not valid JSON)"), "\(message)")
        }
        try await withServer([.answer(status: 200, body: #"{"object": "text_completion"}"#)]) { server in
            let message = await failure { _ = try await model(server).generate(GenerationRequest(prompt: "p")) }
            #expect(message.contains("not a completion (no 'choices')"), "\(message)")
        }
        try await withServer([.events(["{not json"])]) { server in
            let message = await failure { for try await _ in try model(server).stream(GenerationRequest(prompt: "p")) {} }
            #expect(message.contains("malformed answer") && message.contains("not valid JSON"), "\(message)")
        }
    }

    @Test func aTruncatedStreamIsAClearError() async throws {
        try await withServer([.events([Completions.chunk("Hel")], done: false)]) { server in
            let message = await failure { for try await _ in try model(server).stream(GenerationRequest(prompt: "p")) {} }
            #expect(message == "the stream from \(server.baseURL)/completions ended before 'data: [DONE]': the answer is cut short")
        }
        try await withServer([.broken(prefix: "data: \(Completions.chunk("Hel"))\n\ndata: {\"cho")]) { server in
            let message = await failure { for try await _ in try model(server).stream(GenerationRequest(prompt: "p")) {} }
            #expect(message.hasPrefix("the stream from \(server.baseURL)/completions "), "\(message)")
            #expect(message.contains("broke off") || message.contains("cut short"), "\(message)")
        }
    }

    @Test func anErrorEventInTheStreamIsQuoted() async throws {
        try await withServer([.events([Completions.chunk("a"), Completions.error("the model crashed")])]) { server in
            let message = await failure { for try await _ in try model(server).stream(GenerationRequest(prompt: "p")) {} }
            #expect(message == "\(server.baseURL)/completions reported an error: the model crashed")
        }
    }

    @Test func connectionErrorsRetryOnTheNextServerAndFailOver() async throws {
        // A port that was just free: nothing listens there.
        let dead = try await TestDoubleServer.start([.answer(status: 200, body: "")])
        let deadURL = dead.baseURL
        await dead.stop()
        try await withServer([.answer(status: 200, body: Completions.whole("from the live one"))]) { server in
            let waits = Waits()
            let model = try model(server, waits: waits, bases: [deadURL, server.baseURL])
            for _ in 0..<2 {
                #expect(try await model.generate(GenerationRequest(prompt: "p")).text == "from the live one")
            }
            #expect(waits.all.count == 1, "one request started on the dead server and moved on")
        }
        let waits = Waits()
        let endpoint = OpenAIEndpoint(baseURLs: [deadURL], model: "m")
        let message = await failure { _ = try await OpenAIModel(endpoint: endpoint) { waits.record($0) }.generate(GenerationRequest(prompt: "p")) }
        #expect(message == "cannot reach \(deadURL)/completions: connection refused (gave up after 4 tries)")
        #expect(message.hasSuffix("(gave up after 4 tries)"), "\(message)")
        #expect(waits.all.count == 3)
    }

    @Test func aBadBaseURLOrUnmappedAdapterIsNamed() async throws {
        #expect(throws: InferenceError(.backend, "base URL 'localhost:8000' is not an http:// or https:// URL")) {
            try OpenAIModel(endpoint: OpenAIEndpoint(baseURLs: ["localhost:8000"], model: "m"))
        }
        let model = try OpenAIModel(endpoint: OpenAIEndpoint(baseURLs: ["http://127.0.0.1:9/v1"], model: "m"))
        let message = await failure { _ = try await model.generate(GenerationRequest(prompt: "p", adapter: "solve")) }
        #expect(message == "adapter 'solve' has no served model name (map it under 'adapters:')")
    }
}
