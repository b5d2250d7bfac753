import FSLMTestSupport
import Foundation
import Testing

/// `fslm generate`, `fslm tokenize` and `fslm run` on the native fixture models
/// (`Tests/Fixtures/native`), against what transformers and tokenizers give.
@Suite struct NativeCLITests {
    static let models = NativeFixture.modelNames

    func expected(_ name: String) throws -> NativeFixture.Model {
        try #require(try NativeFixture.load().models[name])
    }

    func folder(_ name: String) -> String { NativeFixture.modelFolder(name).path }

    /// The JSON arrays of ids `fslm tokenize` printed, one per line.
    func idLines(_ stdout: String) throws -> [[Int]] {
        guard !stdout.isEmpty else { return [] }
        #expect(stdout.hasSuffix("\n"), "output does not end with a newline")
        return try stdout.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map {
            try JSONDecoder().decode([Int].self, from: Data($0.utf8))
        }
    }

    /// `text` as one line of JSON.
    func jsonLine(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }

    // MARK: generate

    @Test(arguments: models)
    func generatePrintsTransformersContinuation(_ name: String) throws {
        let expected = try expected(name)
        for prompt in expected.prompts {
            for variant in ["base", "adapter"] {
                let adapter = variant == "base" ? [] : ["--adapter", "\(folder(name))/\(variant)"]
                let run = try CLI.run(["generate", "--model", folder(name), "--max-tokens", "12"] + adapter + [prompt.prompt])
                let what = "\(name) \(variant) '\(prompt.prompt)'"
                #expect(run.status == 0, "\(what): exit \(run.status): \(run.stderr)")
                #expect(run.stdout == prompt.greedy[variant]!.text + "\n", "\(what): \(run.stdout.debugDescription)")
                #expect(run.stderr.isEmpty, "\(what): \(run.stderr)")
            }
        }
    }

    @Test func generateOnABadFolderExits1NamingIt() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-native-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = NativeFixture.modelFolder("gpt-neox")
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: scratch.appendingPathComponent(file))
        }
        try Data(#"{"architectures": ["MambaForCausalLM"]}"#.utf8).write(to: scratch.appendingPathComponent("config.json"))
        let missing = scratch.appendingPathComponent("no-such-model").path
        for (folder, detail) in [(scratch.path, "config.json: unsupported architecture 'MambaForCausalLM'"), (missing, "no such folder")] {
            let run = try CLI.run(["generate", "--model", folder, "Hello"])
            #expect(run.status == 1, "\(folder): exit \(run.status)")
            #expect(run.stderr.hasPrefix("error: \(folder): "), "\(run.stderr)")
            #expect(run.stderr.contains(detail), "\(run.stderr)")
            #expect(run.stdout.isEmpty, "\(run.stdout)")
        }
        let adapter = try CLI.run(["generate", "--model", source.path, "--adapter", missing, "Hello"])
        #expect(adapter.status == 1 && adapter.stderr.contains(missing), "\(adapter.status): \(adapter.stderr)")
    }

    // MARK: tokenize

    /// gpt-neox's tokenizer adds no special tokens; llama's adds a BOS, with `--special-tokens`.
    func tokenizeArguments(_ name: String) -> [String] {
        ["tokenize", "--tokenizer", "\(folder(name))/tokenizer.json"] + (name == "llama" ? ["--special-tokens"] : [])
    }

    @Test(arguments: models)
    func tokenizePrintsTheIdsOfTheText(_ name: String) throws {
        let expected = try expected(name)
        for prompt in expected.prompts {
            let run = try CLI.run(tokenizeArguments(name) + [prompt.prompt])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "[" + prompt.ids.map(String.init).joined(separator: ",") + "]\n", "\(name) '\(prompt.prompt)': \(run.stdout)")
        }
        // Without --special-tokens, llama's ids lose the BOS.
        let plain = try CLI.run(["tokenize", "--tokenizer", "\(folder(name))/tokenizer.json", expected.prompts[0].prompt])
        #expect(try idLines(plain.stdout) == [name == "llama" ? Array(expected.prompts[0].ids.dropFirst()) : expected.prompts[0].ids])
    }

    @Test(arguments: models)
    func tokenizeReadsJSONLinesFromStdin(_ name: String) throws {
        let expected = try expected(name)
        let texts = expected.prompts.map(\.prompt) + expected.scores.map(\.context) + ["", "line\nbreak \"quoted\""]
        let run = try CLI.run(tokenizeArguments(name), stdin: try texts.map(jsonLine).joined(separator: "\n") + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try idLines(run.stdout)
        #expect(lines.count == texts.count)
        #expect(Array(lines.prefix(expected.prompts.count)) == expected.prompts.map(\.ids))
        #expect(Array(lines.dropFirst(expected.prompts.count).prefix(expected.scores.count)) == expected.scores.map(\.contextIds))
    }

    @Test func tokenizeRejectsALineThatIsNotAJSONString() throws {
        for bad in ["not json", "[1, 2]", #"{"text": "x"}"#] {
            let run = try CLI.run(tokenizeArguments("gpt-neox"), stdin: "\"fine\"\n\(bad)\n\"never read\"\n")
            #expect(run.status == 1, "\(bad): exit \(run.status)")
            #expect(run.stderr == "error: stdin line 2: expected one JSON string\n", "\(bad): \(run.stderr)")
            #expect(try idLines(run.stdout).count == 1, "the first line is printed before the bad one: \(run.stdout)")
        }
    }

    /// One line of the shared fixtures' `expected.jsonl` (the Rust `tokenizers` library's ids).
    struct SharedRecord: Decodable {
        let source: String
        let text: String
        let ids: [Int]
        let ids_with_special_tokens: [Int]
    }

    static let sharedNeoX = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/tokenizers/gpt-neox-20b")
    static let sharedAvailable = FileManager.default.fileExists(atPath: sharedNeoX.appendingPathComponent("expected.jsonl").path)

    @Test(.enabled(if: sharedAvailable, "skipped: ../shared/fixtures/tokenizers/gpt-neox-20b (the real tokenizer and its expected ids) is not beside the package"))
    func tokenizeMatchesTheSharedGPTNeoXCorpusInOneProcess() throws {
        let text = try String(contentsOf: Self.sharedNeoX.appendingPathComponent("expected.jsonl"), encoding: .utf8)
        let records = try text.utf8.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(SharedRecord.self, from: Data($0)) }
        let stdin = try records.map { try jsonLine($0.text) }.joined(separator: "\n") + "\n"
        let tokenizer = Self.sharedNeoX.appendingPathComponent("tokenizer.json").path
        for special in [false, true] {
            let clock = ContinuousClock(), start = clock.now
            let run = try CLI.run(["tokenize", "--tokenizer", tokenizer] + (special ? ["--special-tokens"] : []), stdin: stdin)
            let elapsed = start.duration(to: clock.now)
            #expect(run.status == 0, "\(run.stderr)")
            let lines = try idLines(run.stdout)
            try #require(lines.count == records.count, "\(lines.count) lines for \(records.count) texts")
            var mismatches = 0
            for (record, ids) in zip(records, lines) where ids != (special ? record.ids_with_special_tokens : record.ids) {
                mismatches += 1
                Issue.record("\(record.source): \(ids), expected \(special ? record.ids_with_special_tokens : record.ids)")
            }
            #expect(mismatches == 0)
            print("fslm tokenize: \(records.count) gpt-neox-20b texts in one process (special tokens: \(special)) in \(elapsed)")
        }
    }

    // MARK: run

    @Test func aNativeWorkflowRunsAsTransformersGenerates() throws {
        let workflow = try NativeFixture.load().workflow
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-native-trace-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: trace) }
        let run = try CLI.run(["run", NativeFixture.workflowPath, "--json", "--quiet", "--trace", trace.path])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        #expect(report.status == "succeeded" && report.error == nil, "\(run.stdout)")
        for stage in workflow.stages {
            #expect(report.stages[stage.stage]?.output == stage.output, "\(stage.stage): '\(report.stages[stage.stage]?.output ?? "nil")'")
            #expect(report.outputs[stage.stage] == stage.output)
        }
        // The prompts fslm rendered are the ones transformers was given.
        let started = try TraceEvent.read(trace).filter { $0.type == "attempt_started" }
        #expect(started.map { $0.stage ?? "" } == workflow.stages.map(\.stage))
        #expect(started.map { $0.prompt ?? "" } == workflow.stages.map(\.prompt))
    }
}
