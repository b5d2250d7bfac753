import FSLMInference
import FSLMTestSupport
import Testing

/// The scripted backend against the backend conformance suite, and the suite against a backend
/// that breaks the contract.
@Suite struct ScriptedConformanceTests {
    static let fixture = ConformanceFixture(
        request: GenerationRequest(prompt: "Question: what is six times seven?\nAnswer:", adapter: "solve"),
        expectedText: "The answer is forty-two, said the machine.",
        slowRequest: GenerationRequest(prompt: "slow: take your time", adapter: "solve")
    )

    @Test func scriptedModelConforms() async throws {
        try await checkLanguageModelConformance({
            try ScriptedModel(script: ScriptedScript(rules: [
                // A real clock: the cancellation check needs a call that would take 10 s.
                .init(promptPattern: "^slow:", replies: [.sleep(.seconds(10))]),
                .init(promptPattern: "^Question:", adapter: "solve", replies: [.text(Self.fixture.expectedText)]),
            ]))
        }, fixture: Self.fixture)
    }

    /// Always answers the fixture's text, whatever the request asks.
    struct IgnoresLimits: LanguageModel {
        var capabilities: BackendCapabilities { BackendCapabilities(tokenCounting: true) }
        func generate(_ request: GenerationRequest) async throws -> GenerationResult {
            GenerationResult(text: ScriptedConformanceTests.fixture.expectedText, finishReason: .endOfText,
                             promptTokens: 3, completionTokens: 9)
        }
        func countTokens(_ text: String) async throws -> Int? { 4 }
    }

    @Test func theSuiteCatchesABackendThatIgnoresStopStringsAndLimits() async throws {
        var fixture = Self.fixture
        fixture.slowRequest = nil
        await withKnownIssue {
            try await checkLanguageModelConformance({ IgnoresLimits() }, fixture: fixture)
        }
    }
}
