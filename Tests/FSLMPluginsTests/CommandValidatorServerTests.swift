import Foundation
import FSLMPlugins
import FSLMWorkflow
import Testing

/// Answers every request with a failure "PID N" (N counts requests) unless told otherwise.
let countingServer = #"""
n=0
while IFS= read -r line; do
  n=$((n+1))
  printf '{"ok": false, "message": "%s %s"}\n' "$$" "$n"
done
"""#

/// The pid and request number a `countingServer` reported.
func pidAndCount(_ verdict: Verdict) throws -> (pid: Int32, count: Int) {
    guard case .fail(let message, _) = verdict else { throw ValidatorError(validator: "test", message: "\(verdict)") }
    let parts = message.split(separator: " ")
    return (try #require(Int32(parts[0])), try #require(Int(parts[1])))
}

@Suite struct CommandValidatorServerTests {
    @Test func oneProcessAnswersEveryCallInTurn() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let server = CommandValidatorServer(folder.spec(try folder.script("serve.sh", countingServer), mode: .serve))
        let answers = try await withThrowingTaskGroup(of: (pid: Int32, count: Int).self) { group in
            for i in 0..<200 { group.addTask { try pidAndCount(try await server.validate("reply \(i)", in: externalContext)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(answers.map(\.pid)).count == 1)
        #expect(answers.map(\.count).sorted() == Array(1...200))
        #expect(await server.processID == answers[0].pid)
        await server.shutdown()
        #expect(try await isGone(answers[0].pid))
    }

    @Test func receivesRequestsAsJSONLines() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("echo.sh", #"""
            while IFS= read -r req; do
              esc=$(printf '%s' "$req" | sed 's/\\/\\\\/g; s/"/\\"/g')
              printf '{"ok": false, "message": "%s"}\n' "$esc"
            done
            """#)
        let params: JSONValue = .object(["tolerance": .number(0)])
        let server = CommandValidatorServer(folder.spec(script, mode: .serve, params: params))
        defer { Task { await server.shutdown() } }
        let output = "two\nlines \"quoted\" \\"
        let request = try echoedRequest(try await server.validate(output, in: externalContext))
        #expect(request["output"] == .string(output))
        #expect(request["stage"] == .string("solve"))
        #expect(request["attempt"] == .number(2))
        #expect(request["params"] == params)
        let other = try echoedRequest(try await server.validate("x", in: externalContext, timeout: .seconds(5), params: nil))
        #expect(other["params"] == .object([:]))
    }

    @Test func processDyingBeforeAnsweringFailsThatCallOnly() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        // Answers three requests; reads the fourth and exits 7 without answering.
        let script = try folder.script("mortal.sh", #"""
            n=0
            while IFS= read -r line; do
              n=$((n+1))
              if [ $n -eq 4 ]; then echo "tired after 3" >&2; exit 7; fi
              printf '{"ok": false, "message": "%s %s"}\n' "$$" "$n"
            done
            """#)
        // A generous timeout: under a loaded CI machine a 10 s deadline could expire between the
        // answer and its bookkeeping and retire the process early, which is not what this tests.
        let server = CommandValidatorServer(folder.spec(script, timeout: .seconds(120), mode: .serve))
        defer { Task { await server.shutdown() } }
        var first: [(pid: Int32, count: Int)] = []
        for _ in 0..<3 { first.append(try pidAndCount(try await server.validate("8", in: externalContext))) }
        #expect(first.map(\.count) == [1, 2, 3])
        #expect(Set(first.map(\.pid)).count == 1)
        let error = try #require(await validatorError(server))
        #expect(error.message.contains("plugin 'demo', validator 'demo.check'"))
        #expect(error.message.contains("exited with status 7 before answering"))
        #expect(error.message.contains("tired after 3"))
        #expect(!isAlive(first[0].pid))
        let fresh = try pidAndCount(try await server.validate("8", in: externalContext))
        #expect(fresh.pid != first[0].pid)
        #expect(fresh.count == 1)
    }

    @Test func processDyingBetweenCallsIsReplacedSilently() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("once.sh", #"IFS= read -r line; printf '{"ok": false, "message": "%s 1"}\n' "$$""#)
        let server = CommandValidatorServer(folder.spec(script, mode: .serve))
        defer { Task { await server.shutdown() } }
        let first = try pidAndCount(try await server.validate("8", in: externalContext))
        #expect(try await isGone(first.pid))
        let second = try pidAndCount(try await server.validate("8", in: externalContext))
        #expect(second.pid != first.pid)
    }

    @Test func timeoutStopsTheProcessAndTheNextCallRestartsIt() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("slowly.sh", #"""
            while IFS= read -r line; do
              case "$line" in *slow*) sleep 600;; esac
              printf '{"ok": false, "message": "%s 0"}\n' "$$"
            done
            """#)
        // Two validators sharing a server, each with its own timeout.
        let server = CommandValidatorServer(folder.spec(script, mode: .serve))
        defer { Task { await server.shutdown() } }
        let quick = ServedCommandValidator(folder.spec(script, timeout: .milliseconds(300), mode: .serve), server: server)
        let patient = ServedCommandValidator(folder.spec(script, timeout: .seconds(120), mode: .serve), server: server)

        let before = try pidAndCount(try await patient.validate("fast", in: externalContext)).pid
        let start = ContinuousClock.now
        let error = try #require(await validatorError(quick, "slow"))
        #expect(ContinuousClock.now - start < .seconds(120))  // the script sleeps 600 s: it was stopped, not awaited (a loose bound for a loaded machine, not a timing)
        #expect(error.message.contains("did not answer within 300 ms; it was stopped"))
        #expect(!isAlive(before))
        let after = try pidAndCount(try await patient.validate("fast", in: externalContext)).pid
        #expect(after != before)
    }

    @Test func badAnswerOrUnaskedOutputStopsTheProcess() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("odd.sh", #"""
            while IFS= read -r line; do
              case "$line" in
                *garbage*) echo "not json at all";;
                *twice*) printf '{"ok": true}\n{"ok": true}\n'; sleep 0.2;;
                *) printf '{"ok": false, "message": "%s 0"}\n' "$$";;
              esac
            done
            """#)
        let server = CommandValidatorServer(folder.spec(script, mode: .serve))
        defer { Task { await server.shutdown() } }
        let first = try pidAndCount(try await server.validate("8", in: externalContext)).pid
        let garbage = try #require(await validatorError(server, "garbage"))
        #expect(garbage.message.contains("printed something that is not a JSON verdict: «not json at all»; it was stopped"))
        #expect(try await isGone(first))
        #expect(try await server.validate("twice", in: externalContext) == .pass)
        try await Task.sleep(for: .milliseconds(100))
        let unasked = try #require(await validatorError(server))
        #expect(unasked.message.contains("printed output no request asked for"))
        _ = try pidAndCount(try await server.validate("8", in: externalContext))
    }

    @Test func chattyStderrDoesNotBlockTheServer() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("chatty.sh", #"""
            while IFS= read -r line; do
              head -c 200000 /dev/zero | tr '\0' x >&2
              echo '{"ok": true}'
            done
            """#)
        let server = CommandValidatorServer(folder.spec(script, mode: .serve))
        defer { Task { await server.shutdown() } }
        for _ in 0..<3 { #expect(try await server.validate("8", in: externalContext) == .pass) }
    }

    /// The only test using the shared servers (`shutdownAll` stops them all).
    @Test func shutdownStopsTheProcessAndRefusesLaterCalls() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let spec = folder.spec(try folder.script("serve.sh", countingServer), mode: .serve)
        let validator = CommandValidators.make(spec)
        // Specs differing in timeout and params share the server.
        var other = spec
        other.timeout = .seconds(3)
        other.params = .object(["x": .number(1)])
        #expect(try #require(CommandValidators.make(other) as? ServedCommandValidator).server
                === (try #require(validator as? ServedCommandValidator)).server)
        let pid = try pidAndCount(try await validator.validate("8", in: externalContext)).pid
        let server = try #require(validator as? ServedCommandValidator).server
        await server.shutdown()
        #expect(!isAlive(pid))
        #expect(await server.processID == nil)
        #expect(try #require(await validatorError(validator)).message.contains("has been shut down"))
        // The factory starts a new server for the same command.
        let again = CommandValidators.make(spec)
        #expect(try #require(again as? ServedCommandValidator).server !== server)
        let newPid = try pidAndCount(try await again.validate("8", in: externalContext)).pid
        #expect(newPid != pid)
        await CommandValidators.shutdownAll()
        #expect(!isAlive(newPid))
    }

    @Test func cancellingACallInFlightStopsTheProcess() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("stuck.sh", #"echo $$ > pid; IFS= read -r line; sleep 600"#)
        let server = CommandValidatorServer(folder.spec(script, mode: .serve))
        defer { Task { await server.shutdown() } }
        let call = Task { try await server.validate("8", in: externalContext) }
        let pid = try await folder.awaitNumber(in: "pid")
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(try await isGone(pid))
    }

    @Test func missingCommandIsAnErrorOnEachCall() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let server = CommandValidatorServer(folder.spec(folder.url.path + "/absent.sh", mode: .serve))
        for _ in 0..<2 {
            #expect(try #require(await validatorError(server)).message.contains("cannot run: \(folder.url.path)/absent.sh does not exist"))
        }
    }
}
