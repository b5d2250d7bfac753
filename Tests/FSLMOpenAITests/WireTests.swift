import FSLMOpenAI
import Foundation
import Testing

/// The wire types read what servers send and write what they expect.
@Suite struct WireTests {
    @Test func requestsRoundTripWithFlatSamplingFields() throws {
        let request = CompletionRequest(
            model: "m", prompt: "p", stream: true, streamOptions: StreamOptions(includeUsage: true),
            sampling: SamplingParameters(maxTokens: 4, temperature: 0.5, topK: 2, stop: ["x"], guidedChoice: ["a", "b"]))
        let data = try JSONEncoder().encode(request)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["max_tokens"] as? Int == 4 && object["top_k"] as? Int == 2 && object["guided_choice"] as? [String] == ["a", "b"])
        #expect(try JSONDecoder().decode(CompletionRequest.self, from: data) == request)
    }

    @Test func stopMayBeOneStringAndPromptAListOfOne() throws {
        let request = try JSONDecoder().decode(CompletionRequest.self, from: Data(#"{"model":"m","prompt":["p"],"stop":"\n"}"#.utf8))
        #expect(request.prompt == "p" && request.sampling.stop == ["\n"] && !request.stream)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CompletionRequest.self, from: Data(#"{"model":"m","prompt":["a","b"]}"#.utf8))
        }
    }

    @Test func vLLMsTokenIdStopReasonReadsAsNone() throws {
        let answer = #"{"choices":[{"index":0,"text":"x","finish_reason":"stop","stop_reason":128001}]}"#
        let choice = try JSONDecoder().decode(CompletionResponse.self, from: Data(answer.utf8)).choices[0]
        #expect(choice.stopReason == nil && choice.finishReason == "stop")
    }

    @Test func retryAfterIsSecondsOrADate() {
        #expect(OpenAIRetryPolicy.parseRetryAfter("3") == .seconds(3))
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(OpenAIRetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:25 GMT", now: now) == .seconds(5))
        #expect(OpenAIRetryPolicy.parseRetryAfter("soon") == nil)
        let policy = OpenAIRetryPolicy(retries: 5, initialDelay: .seconds(1), maxDelay: .seconds(5))
        #expect((1...5).map { policy.delay(beforeRetry: $0, retryAfter: nil) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(60)) == .seconds(5))
    }
}
