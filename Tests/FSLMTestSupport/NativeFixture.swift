public import Foundation

/// `Tests/Fixtures/native/expected.json`, written by `make_native_fixture.py`: what transformers
/// generates and scores with the tiny native model folders beside it.
public struct NativeFixture: Decodable, Sendable {
    /// One greedy `generate(do_sample=False, max_new_tokens=12)`.
    public struct Run: Decodable, Sendable {
        /// The new ids, ending with the EOS id when generation stopped on it.
        public var ids: [Int]
        /// `decode(ids, skip_special_tokens=True)`.
        public var text: String
        /// "eos" or "length".
        public var finish: String
        /// The smallest top-1 minus top-2 logit margin over the steps.
        public var minGap: Double

        public var endedOnEOS: Bool { finish == "eos" }
        /// Tokens generated, not counting the EOS that ended the run (fslm does not count it).
        public var completionTokens: Int { endedOnEOS ? ids.count - 1 : ids.count }
    }

    public struct Prompt: Decodable, Sendable {
        public var prompt: String
        /// `tokenizer(prompt).input_ids`, special tokens added.
        public var ids: [Int]
        /// By variant: "base", "adapter", "adapter2".
        public var greedy: [String: Run]
        /// The base model, greedy with `repetition_penalty` 1.3.
        public var penalized: Run
    }

    public struct Score: Decodable, Sendable {
        public var context: String
        public var continuation: String
        public var adapter: String?
        public var contextIds: [Int]
        public var continuationIds: [Int]
        public var logLikelihood: Double
        public var isGreedy: Bool
    }

    public struct Model: Decodable, Sendable {
        public var maxPositions: Int
        public var prompts: [Prompt]
        public var scores: [Score]
    }

    public struct WorkflowStage: Decodable, Sendable {
        public var stage: String
        /// The adapter's folder name.
        public var adapter: String
        /// The rendered prompt.
        public var prompt: String
        /// The greedy continuation, trimmed of whitespace as fslm trims stage outputs.
        public var output: String
        public var greedy: Run
    }

    public struct Workflow: Decodable, Sendable {
        /// The model folder the workflow runs.
        public var model: String
        public var inputs: [String: String]
        public var stages: [WorkflowStage]
    }

    public var newTokens: Int
    public var models: [String: Model]
    public var workflow: Workflow

    /// The model folders.
    public static let modelNames = ["gpt-neox", "llama"]
    /// The adapter folders of each model; "base" in `Prompt.greedy` is none.
    public static let adapterNames = ["adapter", "adapter2"]
    /// `Tests/Fixtures/native`.
    public static let folder = Fixtures.url("native")
    /// The workflow on the fixture, relative to the package root.
    public static let workflowPath = "Tests/Fixtures/workflows/native/stack.yaml"

    public static func modelFolder(_ name: String) -> URL { folder.appendingPathComponent(name) }

    public static func load() throws -> NativeFixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(NativeFixture.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }
}
