import FSLMOpenAI
import FSLMTestSupport
import Foundation
import Testing

/// `fslm serve --workflows DIR`: the workflows listed, run with JSON inputs (the same JSON as
/// `fslm run --json`), streamed as events, and counted in `/metrics`.
@Suite struct ServeWorkflowTests {
    func scratch(delay: String? = nil) throws -> ScratchFile {
        let scratch = try ScratchFile("flows")
        try scratch.write(ServeFixtures.local(delay: delay), to: "flows/triage.yaml")
        return scratch
    }

    func json(_ text: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    }

    @Test func runsAnswerWhatRunJSONPrints() async throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        let server = try await ServeProcess.start(["--workflows", "flows"], in: scratch.folder)
        let list = try await LoopbackHTTP.get(server.url + "/v1/workflows")
        let entry = try #require((list.json["data"] as? [[String: Any]])?.first)
        #expect(entry["name"] as? String == "triage" && entry["stages"] as? [String] == ["route", "answer"])
        #expect((entry["inputs"] as? [[String: Any]])?.first?["name"] as? String == "ticket")

        for ticket in ["I want a refund", "It crashes"] {
            let served = try await LoopbackHTTP.post(server.url + "/v1/workflows/triage/runs", #"{"ticket": "\#(ticket)"}"#)
            let local = try scratch.run(["run", "flows/triage.yaml", "--json", "--quiet", "--input", "ticket=\(ticket)"])
            #expect(served.status == 200 && local.status == 0, "\(served.body) \(local.stderr)")
            #expect(try json(served.body) == json(local.stdout))
        }

        let metrics = try await LoopbackHTTP.get(server.url + "/metrics").body
        for line in [#"fslm_runs_total{workflow="triage",status="succeeded"} 2"#, #"fslm_stage_attempts_total{workflow="triage",stage="route"} 2"#,
                     #"fslm_run_duration_seconds_count{workflow="triage"} 2"#, #"fslm_tokens_total{model="fake",kind="completion"} 34"#] {
            #expect(metrics.contains(line + "\n"), "\(line) in\n\(metrics)")
        }
        #expect(try await server.terminate() == 0)
    }

    @Test func aStreamedRunSendsEachEventThenTheResult() async throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        let server = try await ServeProcess.start(["--workflows", "flows"], in: scratch.folder)
        let reply = try await LoopbackHTTP.post(server.url + "/v1/workflows/triage/runs?stream=true", #"{"ticket": "refund"}"#)
        #expect(reply.status == 200 && reply.headers["content-type"] == "text/event-stream")
        let events = reply.events
        let names = events.compactMap(\.event)
        #expect(names.first == "run_started" && names.suffix(2) == ["run_finished", "result"], "\(names)")
        #expect(names.contains("generation_progress") && names.contains("attempt_started"))
        let progress = events.filter { $0.event == "generation_progress" }.map { try? json($0.data)["text"] as? String }
        #expect(progress.compactMap { $0 }.joined() == "billingWe will look into it within 5 days.")
        let result = try json(try #require(events.last).data)
        #expect(result["status"] as? String == "succeeded")
        #expect((result["outputs"] as? [String: String])?["answer"] == "We will look into it within 5 days.")
        #expect(try await server.terminate() == 0)
    }

    @Test func badInputsAndUnknownWorkflowsAreNamed() async throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        let server = try await ServeProcess.start(["--workflows", "flows"], in: scratch.folder)
        let runs = server.url + "/v1/workflows/triage/runs"
        for (body, message) in [
            (#"{"tiket": "x"}"#, "missing input 'ticket'; unknown input 'tiket'"),
            (#"{"ticket": 3}"#, "input 'ticket': expected a string, got a number"),
            ("[1]", #"the body must be a JSON object of input values, such as {"question": "..."}"#),
            ("", "missing input 'ticket'"),
        ] {
            let reply = try await LoopbackHTTP.post(runs, body)
            #expect(reply.status == 400, "\(body)")
            #expect((reply.json["error"] as? [String: Any])?["message"] as? String == message, "\(body): \(reply.body)")
        }
        let unknown = try await LoopbackHTTP.post(server.url + "/v1/workflows/nope/runs", "{}")
        #expect(unknown.status == 404)
        #expect((unknown.json["error"] as? [String: Any])?["message"] as? String == "the workflow 'nope' does not exist; served: triage")
        #expect(try await server.terminate() == 0)
    }

    @Test func sigtermLetsARunInProgressFinish() async throws {
        let scratch = try scratch(delay: "1s")
        defer { scratch.remove() }
        let server = try await ServeProcess.start(["--workflows", "flows"], in: scratch.folder)
        let run = Task { try await LoopbackHTTP.post(server.url + "/v1/workflows/triage/runs", #"{"ticket": "refund"}"#) }
        #expect(try await LoopbackHTTP.waitForMetric(server.url, "fslm_http_requests_in_progress 1"))
        #expect(try await server.terminate() == 0)
        let reply = try await run.value
        #expect(reply.status == 200 && reply.json["status"] as? String == "succeeded", "\(reply.body)")
    }

    @Test func aWorkflowWithErrorsStopsTheServerFromStarting() throws {
        let scratch = try scratch()
        defer { scratch.remove() }
        try scratch.write("version: 1\nstages:\n  a: { prompt: hi, modle: x }\n", to: "flows/broken.yaml")
        let outcome = try scratch.run(["serve", "--port", "0", "--workflows", "flows"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("broken.yaml"), "\(outcome.stderr)")
    }
}
