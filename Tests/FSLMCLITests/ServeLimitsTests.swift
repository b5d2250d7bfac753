import FSLMTestSupport
import Foundation
import Testing

/// `fslm serve`'s guards and lifecycle: the API key, the body limit, the limit on requests in
/// progress, draining on SIGTERM, and what a client sees when the server dies mid-run.
@Suite struct ServeLimitsTests {
    func scratch(delay: String? = nil, keyEnv: String? = nil) throws -> ScratchFile {
        let scratch = try ScratchFile("local.yaml")
        try scratch.write(ServeFixtures.local(delay: delay), to: "local.yaml")
        try scratch.write(ServeFixtures.remote(keyEnv: keyEnv), to: "remote.yaml")
        return scratch
    }

    func errorMessage(_ reply: LoopbackHTTP.Reply) -> String? {
        (reply.json["error"] as? [String: Any])?["message"] as? String
    }

    @Test func anAPIKeyIsRequiredAndAWrongOneRefused() async throws {
        let scratch = try scratch(keyEnv: "FSLM_TEST_KEY")
        defer { scratch.remove() }
        let key = "k-\(UUID().uuidString)"
        let server = try await ServeProcess.start(ServeFixtures.serveArguments + ["--api-key-env", "FSLM_SERVE_KEY"], in: scratch.folder,
                                                  environment: ["FSLM_SERVE_KEY": key])
        let models = server.url + "/v1/models"
        let none = try await LoopbackHTTP.get(models)
        #expect(none.status == 401 && none.headers["www-authenticate"] == "Bearer")
        #expect(errorMessage(none) == "a valid API key is required: send 'Authorization: Bearer KEY'")
        for wrong in ["Bearer \(key)x", "Bearer \(key.dropLast())", "Basic \(key)", key] {
            #expect(try await LoopbackHTTP.get(models, headers: ["Authorization": wrong]).status == 401, "\(wrong)")
        }
        #expect(try await LoopbackHTTP.get(models, headers: ["Authorization": "Bearer \(key)"]).status == 200)
        #expect(try await LoopbackHTTP.get(server.url + "/healthz").status == 200)

        let url = ["FSLM_TEST_URL": server.url + "/v1"]
        let withKey = try scratch.run(["run", "remote.yaml", "--quiet", "--input", "ticket=refund"], environment: url.merging(["FSLM_TEST_KEY": key]) { $1 })
        #expect(withKey.status == 0 && withKey.stdout == "We will look into it within 5 days.\n", "\(withKey.stderr)")
        let wrongKey = try scratch.run(["run", "remote.yaml", "--quiet", "--input", "ticket=refund"], environment: url.merging(["FSLM_TEST_KEY": "nope"]) { $1 })
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("answered 401 Unauthorized: a valid API key is required"), "\(wrongKey.stderr)")
        let noKey = try scratch.run(["run", "remote.yaml", "--quiet", "--input", "ticket=refund"], environment: url.merging(["FSLM_TEST_KEY": ""]) { $1 })
        #expect(noKey.stderr.contains("the API key variable 'FSLM_TEST_KEY' (api_key_env) is not set"), "\(noKey.stderr)")
        #expect(try await server.terminate() == 0)
    }

    @Test func anOversizedBodyIsRefused() async throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments + ["--max-body-bytes", "1000"], in: scratch.folder)
        let big = #"{"model": "fake", "prompt": "\#(String(repeating: "a", count: 2000))"}"#
        let refused = try await LoopbackHTTP.post(server.url + "/v1/completions", big)
        #expect(refused.status == 413)
        #expect(errorMessage(refused) == "the request body is larger than 1000 bytes")
        #expect(try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "fake-route", "prompt": "refund"}"#).status == 200)
        #expect(try await server.terminate() == 0)
    }

    @Test func requestsBeyondTheLimitGet429() async throws {
        let scratch = try scratch(delay: "3s")
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments + ["--max-concurrent-requests", "1"], in: scratch.folder)
        let slow = Task { try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "fake-route", "prompt": "refund"}"#) }
        #expect(try await LoopbackHTTP.waitForMetric(server.url, "fslm_http_requests_in_progress 1"))
        let refused = try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "fake-route", "prompt": "refund"}"#)
        #expect(refused.status == 429 && refused.headers["retry-after"] == "1")
        #expect(try await slow.value.status == 200)
        let metrics = try await LoopbackHTTP.get(server.url + "/metrics").body
        #expect(metrics.contains(#"fslm_http_requests_total{route="/v1/completions",status="429"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"fslm_http_requests_total{route="/v1/completions",status="200"} 1"#), "\(metrics)")
        #expect(try await server.terminate() == 0)
    }

    @Test func sigtermLetsTheRequestInProgressFinishAndExits0() async throws {
        let scratch = try scratch(delay: "2s")
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments, in: scratch.folder)
        let inFlight = Task { try await LoopbackHTTP.post(server.url + "/v1/completions", #"{"model": "fake-route", "prompt": "refund"}"#) }
        #expect(try await LoopbackHTTP.waitForMetric(server.url, "fslm_http_requests_in_progress 1"))
        #expect(try await server.terminate() == 0)
        let reply = try await inFlight.value
        #expect(reply.status == 200 && reply.body.contains(#""text":"billing""#), "\(reply.body)")
        #expect(server.stderr.hasSuffix("fslm serve: stopped\n"), "\(server.stderr)")
        await #expect(throws: (any Error).self) { try await LoopbackHTTP.get(server.url + "/healthz") }
    }

    @Test func aServerKilledMidRunGivesRetriesThenAClearError() async throws {
        let scratch = try scratch(delay: "5s")
        defer { scratch.remove() }
        let server = try await ServeProcess.start(ServeFixtures.serveArguments, in: scratch.folder)
        let environment = ["FSLM_TEST_URL": server.url + "/v1"]
        let run = Task.detached { try scratch.run(["run", "remote.yaml", "--quiet", "--input", "ticket=refund"], environment: environment) }
        #expect(try await LoopbackHTTP.waitForMetric(server.url, "fslm_http_requests_in_progress 1"))
        try await server.kill()
        let outcome = try await run.value
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("model 'fake': cannot reach \(server.url)/v1/completions: connection refused (gave up after 4 tries)"),
                "\(outcome.stderr)")
    }
}
