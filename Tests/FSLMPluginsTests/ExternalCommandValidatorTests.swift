import Foundation
import FSLMPlugins
import FSLMWorkflow
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A temporary plugin folder holding POSIX `sh` validators written by the test.
struct ScriptFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-validators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `name` as `#!/bin/sh` + `body`, executable unless told otherwise; returns its path.
    @discardableResult
    func script(_ name: String, _ body: String, executable: Bool = true) throws -> String {
        let file = url.appendingPathComponent(name)
        try ("#!/bin/sh\n" + body + "\n").write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: file.path)
        return file.path
    }

    func spec(_ argv0: String, timeout: Duration = .seconds(120), mode: CommandValidatorMode = .once,
              params: JSONValue? = nil, id: String = "demo.check") -> CommandValidatorSpec {
        CommandValidatorSpec(id: id, plugin: "demo", argv: [argv0], workingDirectory: url,
                             timeout: timeout, mode: mode, params: params)
    }

    /// The number a script wrote to `name` (a pid file).
    func number(in name: String) throws -> Int32 {
        let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Waits (up to 60 s: a bound on a hang, generous for a loaded machine) for a script to write a number to `name`.
    func awaitNumber(in name: String) async throws -> Int32 {
        let end = ContinuousClock.now + .seconds(60)
        while true {
            if let text = try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8),
               text.hasSuffix("\n"), let number = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return number
            }
            guard ContinuousClock.now < end else { throw ValidatorError(validator: "test", message: "no number in \(name)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// True while `pid` is a live process (a zombie awaiting a reaper that is not fslm counts as gone).
func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
}

/// Waits up to `limit` for `pid` to be gone; true when it is.
func isGone(_ pid: Int32, within limit: Duration = .seconds(10)) async throws -> Bool {
    let end = ContinuousClock.now + limit
    while isAlive(pid) {
        if ContinuousClock.now > end { return false }
        try await Task.sleep(for: .milliseconds(20))
    }
    return true
}

let externalContext = ValidationContext(stage: "solve", inputs: ["question": .string("3 + 5?"), "n": .number(2)], attempt: 2)

/// The `ValidatorError` a validator throws for `output`, or nil when it judged.
func validatorError(_ validator: any Validator, _ output: String = "8",
                    context: ValidationContext = externalContext) async -> ValidatorError? {
    do {
        _ = try await validator.validate(output, in: context)
        return nil
    } catch let error as ValidatorError {
        return error
    } catch {
        Issue.record("expected a ValidatorError, got \(error)")
        return nil
    }
}

/// A script that fails with its whole stdin as the message, so tests can read the request.
let echoRequestScript = #"""
req=$(cat)
esc=$(printf '%s' "$req" | sed 's/\\/\\\\/g; s/"/\\"/g')
printf '{"ok": false, "message": "%s"}\n' "$esc"
"""#

/// The request a validator received, decoded from an `echoRequestScript` failure.
func echoedRequest(_ verdict: Verdict) throws -> [String: JSONValue] {
    guard case .fail(let message, _) = verdict else {
        Issue.record("expected a failure carrying the request, got \(verdict)")
        return [:]
    }
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(message.utf8))
    guard case .object(let fields) = value else { throw ValidatorError(validator: "test", message: "not an object: \(message)") }
    return fields
}

@Suite struct ExternalCommandValidatorTests {
    @Test func passes() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = ExternalCommandValidator(folder.spec(try folder.script("ok.sh", #"cat >/dev/null; echo '{"ok": true}'"#)))
        #expect(v.id == "demo.check")
        #expect(try await v.validate("8", in: externalContext) == .pass)
    }

    @Test func failsWithMessageAndFix() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let withFix = try folder.script("fix.sh", #"echo '{"ok": false, "message": "3 + 5 is not 9", "fix": "3 + 5 = 8"}'"#)
        let withoutFix = try folder.script("nofix.sh", #"echo '{"ok": false, "message": "no equation", "fix": null, "extra": 1}'"#)
        #expect(try await ExternalCommandValidator(folder.spec(withFix)).validate("3 + 5 = 9", in: externalContext)
                == .fail(message: "3 + 5 is not 9", fix: "3 + 5 = 8"))
        #expect(try await ExternalCommandValidator(folder.spec(withoutFix)).validate("x", in: externalContext)
                == .fail(message: "no equation", fix: nil))
    }

    @Test func receivesTheRequestAsOneJSONLine() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = ExternalCommandValidator(folder.spec(try folder.script("echo.sh", echoRequestScript)))
        let output = "3 + 5 = \"8\"\nsecond line \\ é 🙂"
        let request = try echoedRequest(try await v.validate(output, in: externalContext))
        #expect(request["output"] == .string(output))
        #expect(request["stage"] == .string("solve"))
        #expect(request["inputs"] == .object(["question": .string("3 + 5?"), "n": .number(2)]))
        #expect(request["attempt"] == .number(2))
        #expect(request["params"] == .object([:]))
    }

    @Test func passesParams() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let params: JSONValue = .object(["tolerance": .number(0.5), "ops": .array([.string("+"), .string("-")])])
        let v = ExternalCommandValidator(folder.spec(try folder.script("echo.sh", echoRequestScript), params: params))
        #expect(try echoedRequest(try await v.validate("8", in: externalContext))["params"] == params)
    }

    @Test func runsInThePluginFolderWithRelativeCommands() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("validators"), withIntermediateDirectories: true)
        try folder.script("validators/where.sh", #"printf '{"ok": false, "message": "%s"}\n' "$(pwd -P)""#)
        let verdict = try await ExternalCommandValidator(folder.spec("validators/where.sh")).validate("8", in: externalContext)
        #expect(verdict == .fail(message: folder.url.resolvingSymlinksInPath().path, fix: nil))
    }

    @Test func crashIsAnError() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let segv = ExternalCommandValidator(folder.spec(try folder.script("segv.sh", "echo 'about to crash' >&2; kill -SEGV $$")))
        let error = try #require(await validatorError(segv))
        #expect(error.validator == "demo.check")
        #expect(error.message.contains("plugin 'demo', validator 'demo.check'"))
        #expect(error.message.contains("was killed by signal 11 (SIGSEGV)"))
        #expect(error.message.contains("about to crash"))
        let status139 = ExternalCommandValidator(folder.spec(try folder.script("139.sh", "exit 139")))
        #expect(try #require(await validatorError(status139)).message.contains("exited with status 139"))
    }

    @Test func nonZeroExitIsAnErrorWithTheEndOfStderr() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("three.sh", #"""
            i=1; while [ $i -le 60 ]; do echo "noise $i" >&2; i=$((i+1)); done
            echo 'boom: no operator' >&2
            echo '{"ok": true}'
            exit 3
            """#)
        let error = try #require(await validatorError(ExternalCommandValidator(folder.spec(script))))
        #expect(error.message.contains("(\(script)): exited with status 3"))
        #expect(error.message.contains("its stderr ended with:\n"))
        #expect(error.message.hasSuffix("  noise 60\n  boom: no operator"))
        #expect(!error.message.contains("noise 41\n"))
        #expect(error.message.split(separator: "\n").count <= 23)
        #expect(error.description.hasPrefix("validator 'demo.check' could not judge the output: plugin 'demo'"))
    }

    @Test func timeoutStopsTheProcessAndItsChildren() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("slow.sh", "echo $$ > pid; sleep 600 & echo $! > child; wait")
        let v = ExternalCommandValidator(folder.spec(script, timeout: .milliseconds(300)))
        let start = ContinuousClock.now
        let error = try #require(await validatorError(v))
        #expect(ContinuousClock.now - start < .seconds(120))  // the script sleeps 600 s: it was stopped, not awaited (a loose bound for a loaded machine, not a timing)
        #expect(error.message.contains("did not answer within 300 ms; it was stopped"))
        #expect(!isAlive(try folder.number(in: "pid")))
        #expect(try await isGone(try folder.number(in: "child")))
    }

    @Test func answerThatIsNotAVerdictIsAnError() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let cases: [(String, String)] = [
            ("echo 'the answer is 8'", "printed something that is not a JSON verdict: «the answer is 8»"),
            ("echo '{\"ok\": true} {\"ok\": true}'", "not a JSON verdict"),
            ("echo '[true]'", "the answer is not a JSON object"),
            ("echo '{\"ok\": \"yes\"}'", "the answer needs \"ok\": true or false"),
            ("echo '{\"ok\": false}'", "a failing answer needs a non-empty \"message\" string"),
            ("echo '{\"ok\": false, \"message\": \"bad\", \"fix\": 8}'", "\"fix\" must be a string or null"),
            ("cat >/dev/null", "printed no answer"),
            ("echo '   '", "printed no answer"),
        ]
        for (index, (body, expected)) in cases.enumerated() {
            let v = ExternalCommandValidator(folder.spec(try folder.script("bad\(index).sh", body)))
            let error = try #require(await validatorError(v), "\(body)")
            #expect(error.message.contains(expected), "\(body): \(error.message)")
        }
    }

    @Test func hugeOutputIsCutOff() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = ExternalCommandValidator(folder.spec(try folder.script("huge.sh", "echo $$ > pid; yes | head -c 5000000; sleep 600")))
        let start = ContinuousClock.now
        let error = try #require(await validatorError(v))
        #expect(ContinuousClock.now - start < .seconds(120))  // the script sleeps 600 s: it was stopped, not awaited (a loose bound for a loaded machine, not a timing)
        #expect(error.message.contains("printed more than 1 MiB on stdout; it was stopped"))
        #expect(!isAlive(try folder.number(in: "pid")))
    }

    @Test func missingOrNotExecutableCommandIsAnError() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let missing = try #require(await validatorError(ExternalCommandValidator(folder.spec(folder.url.path + "/nope.sh"))))
        #expect(missing.message.contains("plugin 'demo', validator 'demo.check'"))
        #expect(missing.message.contains("cannot run: \(folder.url.path)/nope.sh does not exist"))
        let notOnPath = try #require(await validatorError(ExternalCommandValidator(folder.spec("fslm-no-such-validator"))))
        #expect(notOnPath.message.contains("'fslm-no-such-validator' was not found on PATH"))
        let plain = try folder.script("plain.sh", #"echo '{"ok": true}'"#, executable: false)
        let notExecutable = try #require(await validatorError(ExternalCommandValidator(folder.spec(plain))))
        #expect(notExecutable.message.contains("cannot run: \(plain) is not executable"))
        let directory = try #require(await validatorError(ExternalCommandValidator(folder.spec(folder.url.path))))
        #expect(directory.message.contains("is not a file"))
        try "no shebang".write(to: folder.url.appendingPathComponent("raw"), atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.appendingPathComponent("raw").path)
        #expect(try #require(await validatorError(ExternalCommandValidator(folder.spec("./raw")))).message.contains("#!"))
    }

    @Test func chattyStderrAndUnreadStdinDoNotBlock() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        // 1 MB on stderr before reading anything; a 2 MB output it never reads.
        let chatty = try folder.script("chatty.sh", #"head -c 1000000 /dev/zero | tr '\0' x >&2; echo '{"ok": true}'"#)
        let bigOutput = String(repeating: "y", count: 2_000_000)
        #expect(try await ExternalCommandValidator(folder.spec(chatty)).validate(bigOutput, in: externalContext) == .pass)
    }

    @Test func leftoverBackgroundProcessesAreStopped() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let script = try folder.script("bg.sh", #"sleep 600 & echo $! > child; echo '{"ok": true}'"#)
        let start = ContinuousClock.now
        #expect(try await ExternalCommandValidator(folder.spec(script)).validate("8", in: externalContext) == .pass)
        #expect(ContinuousClock.now - start < .seconds(120))  // the script sleeps 600 s: it was stopped, not awaited (a loose bound for a loaded machine, not a timing)
        #expect(try await isGone(try folder.number(in: "child")))
    }

    @Test func cancellingTheCallStopsTheProcess() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = ExternalCommandValidator(folder.spec(try folder.script("slow.sh", "echo $$ > pid; sleep 600")))
        let call = Task { try await v.validate("8", in: externalContext) }
        let pid = try await folder.awaitNumber(in: "pid")
        let start = ContinuousClock.now
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(ContinuousClock.now - start < .seconds(120))  // the script sleeps 600 s: it was stopped, not awaited (a loose bound for a loaded machine, not a timing)
        #expect(!isAlive(pid))
    }

    @Test func concurrentCallsEachGetTheirOwnProcess() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = ExternalCommandValidator(folder.spec(try folder.script("echo.sh", echoRequestScript)))
        let outputs = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            for i in 0..<16 {
                group.addTask { try echoedRequest(try await v.validate("reply \(i)", in: externalContext))["output"] }
            }
            return try await group.reduce(into: Set<JSONValue?>()) { $0.insert($1) }
        }
        #expect(outputs == Set((0..<16).map { JSONValue.string("reply \($0)") }))
    }

    @Test func factoryMakesOnceValidators() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let v = CommandValidators.make(folder.spec(try folder.script("ok.sh", #"echo '{"ok": true}'"#)))
        #expect(v is ExternalCommandValidator)
        #expect(try await v.validate("8", in: externalContext) == .pass)
    }
}
