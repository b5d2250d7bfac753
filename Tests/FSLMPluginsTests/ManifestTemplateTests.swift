import FSLMPlugins
import FSLMWorkflow
import Foundation
import Testing

@Suite struct ManifestTemplateTests {
    /// A plugin `arith` with `templates` (name → text), each in `templates/<name>.mustache`.
    func plugin(_ tmp: TempFolder, _ templates: [String: String]) throws -> Plugin {
        let entries = templates.keys.sorted().map { "  \($0): templates/\($0).mustache" }.joined(separator: "\n")
        var files: [String: String] = [:]
        for (name, text) in templates { files["templates/\(name).mustache"] = text }
        return Plugin.load(folder: try tmp.writePlugin("arith", "name: arith\ntemplates:\n\(entries)\n", files: files))
    }

    let context: [String: Any] = ["inputs": ["question": "2+2?"], "stages": ["solve": ["output": "4"]]]

    @Test func syntaxErrorsPointIntoTheTemplateFile() throws {
        let tmp = try TempFolder()
        let p = try plugin(tmp, ["route": "Question: {{inputs.question}}\nKind: {{inputs.question\n", "answer": "A"])
        #expect(tmp.summary(p.diagnostics).count == 1)
        let d = try #require(p.diagnostics.first)
        #expect(d.id == .templateSyntax)
        #expect(tmp.place(d.location) == "arith/templates/route.mustache:2:7")
        #expect(p.sources[d.location!.file]?.line(2) == "Kind: {{inputs.question")
        #expect(p.templates.keys.sorted() == ["answer"])
    }

    @Test func templatesIncludeEachOtherAsPartials() throws {
        let tmp = try TempFolder()
        let p = try plugin(tmp, [
            "route": "Q: {{inputs.question}}\n{{> answer}}\n",
            "answer": "Answer for {{stages.solve.output}}: {{> footer}}\n",
            "footer": "({{inputs.question}} again)",
        ])
        #expect(tmp.summary(p.diagnostics) == [])
        let route = try #require(p.templates["route"])
        #expect(route.render(context) == "Q: 2+2?\nAnswer for 4: (2+2? again)")
        #expect(route.variablesIncludingPartials.map { $0.path.joined(separator: ".") }
                == ["inputs.question", "stages.solve.output", "inputs.question"])
        let partialVariable = route.variablesIncludingPartials[1]
        #expect(tmp.place(partialVariable.location) == "arith/templates/answer.mustache:1:14")
        #expect(p.templates["answer"]?.render(context) == "Answer for 4: (2+2? again)")
        #expect(p.templates["footer"]?.variablesIncludingPartials.count == 1)
    }

    @Test func theFinalLineBreakOfAFileIsDropped() throws {
        let tmp = try TempFolder()
        let p = try plugin(tmp, ["one": "Answer:\n", "two": "Answer:\n\n", "crlf": "Answer:\r\n", "none": "Answer:"])
        #expect(p.templates["one"]?.render([:]) == "Answer:")
        #expect(p.templates["two"]?.render([:]) == "Answer:\n")
        #expect(p.templates["crlf"]?.render([:]) == "Answer:")
        #expect(p.templates["none"]?.render([:]) == "Answer:")
    }

    @Test func unknownPartialsAndCyclesAreErrors() throws {
        let tmp = try TempFolder()
        let p = try plugin(tmp, [
            "route": "Q: {{inputs.question}}\n{{> answr}}",
            "answer": "A",
            "a": "{{> b}}",
            "b": "{{> a}}",
            "me": "x {{> me}}",
        ])
        #expect(tmp.summary(p.diagnostics) == [
            "arith/templates/b.mustache:1:5: error: templates of plugin 'arith' include each other in a cycle: a → b → a [plugin-manifest]",
            "arith/templates/me.mustache:1:7: error: templates of plugin 'arith' include each other in a cycle: me → me [plugin-manifest]",
            "arith/templates/route.mustache:2:5: error: template 'route' includes 'answr', which is not a template of plugin 'arith' [unknown-template]",
        ])
        #expect(p.diagnostics[2].notes.map(\.message) == ["did you mean 'answer'?"])
    }

    @Test func theCatalogServesBoundTemplates() throws {
        let tmp = try TempFolder()
        _ = try plugin(tmp, ["route": "Q: {{inputs.question}} {{> answer}}", "answer": "A: {{stages.solve.output}}"])
        let set = PluginSet(searchPath: PluginSearchPath(environment: environment(pluginPath: [tmp.root])))
        let route = try #require(set.template("arith.route"))
        #expect(route.render(context) == "Q: 2+2? A: 4")
        #expect(route.variablesIncludingPartials.map { $0.path.joined(separator: ".") } == ["inputs.question", "stages.solve.output"])
        #expect(set.template("arith.nope") == nil)
        #expect(set.template("other.route") == nil)
        #expect(set.template("arith") == nil)
        #expect(set.templateNames == ["arith.answer", "arith.route"])
    }
}
