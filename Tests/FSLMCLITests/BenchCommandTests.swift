import FSLMTestSupport
import Foundation
import Testing

/// `fslm bench` measures; these tests check what it reports, never how fast it is.
@Suite struct BenchCommandTests {
    static let model = "Tests/Fixtures/native/gpt-neox"

    @Test func reportsEveryFigureAsJSON() throws {
        let run = try CLI.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--gen-tokens", "4", "--repetitions", "2", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["promptTokens"] as? Int == 16)
        #expect(object["generatedTokens"] as? Int == 4)
        #expect(object["repetitions"] as? Int == 2)
        for key in ["prefillTokensPerSecond", "decodeTokensPerSecond", "timeToFirstTokenMilliseconds"] {
            let stat = try #require(object[key] as? [String: Double], "\(key)")
            let (median, low, high) = (try #require(stat["median"]), try #require(stat["min"]), try #require(stat["max"]))
            #expect(low > 0 && low <= median && median <= high, "\(key): \(stat)")
        }
        #expect((object["peakResidentMegabytes"] as? Double ?? 0) > 0)
        #expect((object["weightMegabytes"] as? Double ?? 0) > 0)
    }

    @Test func concurrencyReportsTheAggregateDecodeSpeedNextToOneGenerations() throws {
        let run = try CLI.run([
            "bench", "--model", Self.model, "--prompt-tokens", "16", "--gen-tokens", "8", "--repetitions", "2", "--concurrency", "4", "--json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let concurrent = try #require(object["concurrent"] as? [String: Any])
        #expect(concurrent["concurrency"] as? Int == 4)
        #expect((concurrent["measuredSteps"] as? Int ?? 0) >= 1)
        for key in ["aggregateDecodeTokensPerSecond", "singleDecodeTokensPerSecond"] {
            let stat = try #require(concurrent[key] as? [String: Double], "\(key)")
            let (median, low, high) = (try #require(stat["median"]), try #require(stat["min"]), try #require(stat["max"]))
            #expect(low > 0 && low <= median && median <= high, "\(key): \(stat)")
        }
        let text = try CLI.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--gen-tokens", "8", "--repetitions", "1", "--concurrency", "3"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\ndecode ×1 batching ") && text.stdout.contains("\ndecode ×3 aggregate "), "\(text.stdout)")
        #expect(!(try CLI.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--gen-tokens", "8"]).stdout.contains("aggregate")))
    }

    @Test func aConcurrencyAboveTheBatchIsAClearError() throws {
        let run = try CLI.run(["bench", "--model", Self.model, "--prompt-tokens", "16", "--gen-tokens", "4", "--concurrency", "17"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: concurrency 17 is outside 1...16, the sequences one batched step runs\n")
        #expect(try CLI.run(["bench", "--model", Self.model, "--concurrency", "0"]).status == 64)
    }

    @Test func aRunLongerThanTheContextIsAClearError() throws {
        let run = try CLI.run(["bench", "--model", Self.model, "--prompt-tokens", "200", "--gen-tokens", "16"])
        #expect(run.status == 1)
        #expect(run.stderr == "error: prompt (200) plus generated (16) tokens must fit the model's context of 128\n")
    }

    @Test func badArgumentsAreUsageErrors() throws {
        #expect(try CLI.run(["bench", "--model", Self.model, "--repetitions", "0"]).status == 64)
        #expect(try CLI.run(["bench"]).status == 64)
    }
}
