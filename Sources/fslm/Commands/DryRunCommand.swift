import ArgumentParser
import FSLMEngine
import FSLMInference
import FSLMWorkflow
import Foundation

/// `fslm dry-run FILE`: the plan, rendered prompts and budget, with no model called.
struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Show what a run would do, without calling any model.",
        discussion: """
            Prints each stage in order: whether it would run, be skipped, or is undecided \
            (its 'when' reads outputs not known without a model), its rendered prompt, model, \
            validators and retry budget; then the worst-case number of model calls and any \
            missing or mistyped inputs. Unknown outputs appear as ⟨stages.ID.output⟩ unless \
            given with --assume.
            """)

    @OptionGroup var workflow: WorkflowOptions
    @OptionGroup var inputOptions: InputOptions

    @Option(name: .customLong("assume"), help: ArgumentHelp("Assume a stage's output, as STAGE=OUTPUT (repeatable).", valueName: "stage=output"))
    var assumptions: [String] = []

    @Flag(help: "Print the plan as one JSON object.")
    var json = false

    func validate() throws {
        for a in assumptions { _ = try InputOptions.split(a, option: "--assume", form: "STAGE=OUTPUT") }
    }

    func run() throws {
        let (loaded, _) = try WorkflowLoading.load(workflow)
        var assume: [String: String] = [:]
        for a in assumptions {
            let (stage, output) = try InputOptions.split(a, option: "--assume", form: "STAGE=OUTPUT")
            guard loaded.stage(stage) != nil else {
                Terminal.err("error: --assume names unknown stage '\(stage)'\n")
                throw ExitCode(1)
            }
            assume[stage] = output
        }
        let file = try InputFile.read(inputOptions.inputFile)
        let binding = InputBinder(inputs: loaded.spec.inputs).bind(pairs: try inputOptions.pairs, file: file)
        let plan: DryRunPlan
        do {
            let counter = PromptTokenCounter(binding: ModelBinding(workflow: loaded, core: .shared, clock: ContinuousClock()))
            plan = try DryRunPlanner(workflow: loaded, tokens: counter).plan(binding: binding, assume: assume)
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.out(String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n")
        } else {
            Terminal.out(plan.text)
        }
        for problem in binding.problems { Terminal.err("warning: \(problem)\n") }
    }
}

/// Reads `--input-file`: a JSON object of input values.
enum InputFile {
    static func read(_ path: String?) throws -> [String: JSONValue] {
        guard let path else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.err("\(path): error: cannot read the inputs file\n")
            throw ExitCode(1)
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(let object) = value else {
            Terminal.err("\(path): error: the inputs file must hold one JSON object of input values\n")
            throw ExitCode(1)
        }
        return object
    }
}
