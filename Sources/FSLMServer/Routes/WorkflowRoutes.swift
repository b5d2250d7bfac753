import FSLMEngine
import FSLMInference
import FSLMOpenAI
import FSLMWorkflow
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/workflows` and `POST /v1/workflows/{name}/runs`: the served workflows, run on the
/// shared inference core with JSON inputs; the answer is the object `fslm run --json` prints,
/// or with `?stream=true` the run's events as server-sent events.
struct WorkflowRoutes: Sendable {
    let workflows: [String: ServedWorkflow]
    let core: InferenceCore
    let metrics: ServerMetrics
    let maxBodyBytes: Int
    let runConcurrency: Int

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/v1/workflows") { _, _ in
            JSONBody.response(WorkflowList(data: workflows.values.sorted { $0.name < $1.name }.map(WorkflowList.Entry.init)))
        }
        router.post("/v1/workflows/{name}/runs") { request, context in
            let name = context.parameters.get("name") ?? ""
            guard let served = workflows[name] else {
                let known = workflows.keys.sorted().joined(separator: ", ")
                throw APIError.notFound("the workflow '\(name)' does not exist; served: \(known.isEmpty ? "none" : known)")
            }
            let inputs = try bind(try await JSONBody.read(request, limit: maxBodyBytes), served.workflow)
            let stream = request.uri.queryParameters.get("stream").map { $0 == "true" || $0 == "1" } ?? false
            return stream ? streamedRun(served, inputs: inputs) : JSONBody.response(await run(served, inputs: inputs, sink: nil))
        }
    }

    /// The run's input values from the body (a JSON object; empty means none); 400 naming each problem.
    func bind(_ body: Data, _ workflow: Workflow) throws -> [String: JSONValue] {
        var given: [String: JSONValue] = [:]
        if !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: body) else {
                throw APIError.badRequest("the body must be a JSON object of input values, such as {\"question\": \"...\"}")
            }
            given = object
        }
        let binding = InputBinder(inputs: workflow.spec.inputs).bind(pairs: [], file: given)
        guard binding.isComplete else { throw APIError.badRequest(binding.problems.joined(separator: "; ")) }
        return binding.values
    }

    /// Runs to the end; `sink` also receives every event.
    func run(_ served: ServedWorkflow, inputs: [String: JSONValue], sink: (any EventSink)?) async -> RunResult {
        let name = served.name
        let sinks: [any EventSink] = [MetricsEventSink(workflow: name, metrics: metrics)] + (sink.map { [$0] } ?? [])
        let scheduler = Scheduler(
            workflow: served.workflow, core: core, validators: served.validators, clock: ContinuousClock(),
            sink: MultiplexEventSink(sinks), options: Scheduler.Options(maxConcurrency: runConcurrency))
        let started = ContinuousClock.now
        let result = await scheduler.run(inputs: inputs)
        let elapsed = (ContinuousClock.now - started).components
        metrics.runFinished(workflow: name, status: result.status.rawValue,
                            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        return result
    }

    /// The run's events as they happen (`event: TYPE`, `data:` the trace's JSON of the event),
    /// then `event: result` with the `--json` object. A client that goes away cancels the run.
    func streamedRun(_ served: ServedWorkflow, inputs: [String: JSONValue]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                let (events, continuation) = AsyncStream<RunEvent>.makeStream()
                let running = Task {
                    defer { continuation.finish() }
                    return await run(served, inputs: inputs, sink: StreamEventSink(continuation: continuation))
                }
                do {
                    for await event in events {
                        let data = String(decoding: JSONBody.data(event), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: ServerSentEvent(event: event.typeName, data: data).encoded))
                    }
                } catch {
                    running.cancel()
                    throw error
                }
                let result = await running.value
                let data = String(decoding: JSONBody.data(result), as: UTF8.self)
                try await writer.write(ByteBuffer(string: ServerSentEvent(event: "result", data: data).encoded))
                try await writer.finish(nil)
            })
    }
}

/// Passes a run's events into an async stream.
private struct StreamEventSink: EventSink {
    let continuation: AsyncStream<RunEvent>.Continuation

    func receive(_ event: RunEvent) { continuation.yield(event) }
}
