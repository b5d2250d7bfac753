import FSLMWorkflow
import Testing

private func origin(line: Int = 1, column: Int = 1) -> ScalarOrigin {
    ScalarOrigin(start: FSLMWorkflow.SourceLocation(file: "wf.yaml", line: line, column: column))
}

private func at(_ line: Int, _ column: Int) -> FSLMWorkflow.SourceLocation {
    FSLMWorkflow.SourceLocation(file: "wf.yaml", line: line, column: column)
}

private func compile(_ source: String, origin: ScalarOrigin = origin()) throws -> PromptTemplate {
    try PromptTemplate.compile(source, origin: origin).get()
}

private func syntaxError(_ source: String, origin: ScalarOrigin = origin()) -> Diagnostic? {
    guard case .failure(let diagnostic) = PromptTemplate.compile(source, origin: origin) else { return nil }
    return diagnostic
}

/// The origin of the literal block scalar whose `|` is at `line`:`column` of `yaml`.
private func blockOrigin(_ yaml: String, line: Int, column: Int) -> ScalarOrigin {
    let node = YAMLNode(.scalar(YAMLScalar("", style: .literal)), at: at(line, column))
    return ScalarOrigin(node: node, source: SourceFile(path: "wf.yaml", text: yaml))
}

@Suite struct PromptTemplateRenderingTests {
    @Test func rendersPlainTextWithoutEscaping() throws {
        let template = try compile("{{q}}|{{{q}}}|{{&q}}|{{ q }}")
        let q = #"<a href="x">Tom & 'Jerry'</a>"#
        #expect(template.render(["q": q]) == [q, q, q, q].joined(separator: "|"))
        let restated = try compile("{{% CONTENT_TYPE: TEXT }}\n<b>{{q}}</b>")
        #expect(restated.render(["q": "&"]) == "<b>&</b>")
    }

    @Test func keepsTheTextAroundTags() throws {
        #expect(try compile("\nHello").render([:]) == "\nHello")
        #expect(try compile("{{#a}}\nx\n{{/a}}\n").render(["a": true]) == "x\n")
        #expect(try compile("Reply in JSON: {").render([:]) == "Reply in JSON: {")
        #expect(try compile("{{x}}{").render(["x": 1]) == "1{")
        #expect(try compile("{{=<% %>=}}Cost <%x%> <").render(["x": 5]) == "Cost 5 <")
    }

    @Test func sectionsRepeatOverLists() throws {
        let template = try compile("{{#items}}- {{name}} ({{inputs.topic}})\n{{/items}}{{#tags}}[{{.}}]{{/tags}}")
        let context: [String: Any] = [
            "inputs": ["topic": "cats"],
            "items": [["name": "a"], ["name": "b"]],
            "tags": ["x", "y"],
        ]
        #expect(template.render(context) == "- a (cats)\n- b (cats)\n[x][y]")
    }

    @Test func sectionsShowOnBooleans() throws {
        let template = try compile("{{#flag}}yes{{/flag}}.")
        #expect(template.render(["flag": true]) == "yes.")
        #expect(template.render(["flag": false]) == ".")
        #expect(template.render([:]) == ".")
    }

    @Test func invertedSectionsShowOnEmptyFalseOrMissing() throws {
        let template = try compile("{{^items}}none{{/items}}")
        #expect(template.render(["items": [String]()]) == "none")
        #expect(template.render(["items": false]) == "none")
        #expect(template.render([:]) == "none")
        #expect(template.render(["items": ["a"]]) == "")
    }

    @Test func missingVariablesRenderEmpty() throws {
        #expect(try compile("a{{nope}}b{{x.y.z}}c{{{gone}}}").render(["x": ["y": [String: Any]()]]) == "abc")
    }

    @Test func partialsRenderPlainTextToo() throws {
        let main = try compile("Rules:\n{{> rules}}\n{{#people}}{{> person}}{{/people}}\nEnd{{> missing}}")
        let partials = [
            "rules": try compile("- Be <brief> & \"exact\", {{tone}}\n"),
            "person": try compile("[{{name}}]"),
        ]
        let context: [String: Any] = ["tone": "calm & <kind>", "people": [["name": "A<1>"], ["name": "B"]]]
        #expect(main.render(context, partials: partials) == "Rules:\n- Be <brief> & \"exact\", calm & <kind>\n[A<1>][B]\nEnd")
        #expect(main.partials == [
            TemplatePartial(name: "rules", location: at(2, 5)),
            TemplatePartial(name: "person", location: at(3, 16)),
            TemplatePartial(name: "missing", location: at(4, 8)),
        ])
    }

    @Test func parentsOverrideBlocks() throws {
        let page = try compile("{{<layout}}{{$title}}T & <i>{{/title}}{{/layout}}")
        let layout = try compile("[{{$title}}default{{/title}}] {{$body}}empty{{/body}}")
        #expect(page.partials == [TemplatePartial(name: "layout", location: at(1, 4))])
        #expect(page.variables.isEmpty)
        #expect(page.render([:], partials: ["layout": layout]) == "[T & <i>] empty")
    }

    @Test func numbersRenderWithoutSpuriousFractions() throws {
        let template = try compile("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{#list}}{{.}},{{/list}} {{nested.g}}")
        let context: [String: Any] = [
            "a": 3.0, "b": 2.5, "c": 7, "d": Float(1.5), "e": -0.0, "f": 1e20,
            "list": [1.0, 2.25], "nested": ["g": 10.0],
        ]
        #expect(template.render(context) == "3 2.5 7 1.5 0 1e+20 1,2.25, 10")
    }

    @Test func rendersConcurrently() async throws {
        let template = try compile("{{#items}}{{.}}{{/items}}")
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for n in 0..<32 {
                group.addTask { (n, template.render(["items": (0..<n).map(String.init)])) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (n, text) in results { #expect(text == (0..<n).map(String.init).joined()) }
    }
}

@Suite struct PromptTemplateVariableTests {
    @Test func variablesOnOneLineAreOffsetByTheOriginColumn() throws {
        let source = "Answer {{ inputs.question }} in {{{stages.route.output}}} for {{&user.name}}."
        let template = try compile(source, origin: origin(line: 7, column: 15))
        #expect(template.variables == [
            TemplateVariable(path: ["inputs", "question"], location: at(7, 25), kind: .variable, sectionDepth: 0),
            TemplateVariable(path: ["stages", "route", "output"], location: at(7, 50), kind: .variable, sectionDepth: 0),
            TemplateVariable(path: ["user", "name"], location: at(7, 80), kind: .variable, sectionDepth: 0),
        ])
    }

    @Test func variablesInABlockScalarMapToFileLines() throws {
        let yaml = """
            stages:
              ask:
                prompt: |
                  You are helpful.
                  Question: {{inputs.question}}
                  {{#stages.route.output}}
                    Route: {{label}}
                  {{/stages.route.output}}
                next: done
            """
        let source = "You are helpful.\nQuestion: {{inputs.question}}\n{{#stages.route.output}}\n  Route: {{label}}\n{{/stages.route.output}}\n"
        let template = try compile(source, origin: blockOrigin(yaml, line: 3, column: 13))
        #expect(template.variables == [
            TemplateVariable(path: ["inputs", "question"], location: at(5, 19), kind: .variable, sectionDepth: 0),
            TemplateVariable(path: ["stages", "route", "output"], location: at(6, 10), kind: .section, sectionDepth: 0),
            TemplateVariable(path: ["label"], location: at(7, 18), kind: .variable, sectionDepth: 1),
        ])
    }

    @Test func setDelimitersAreHonoured() throws {
        let template = try compile("{{=<% %>=}}Hi <% name %>, {{literal}} <%={{ }}=%>{{ x }}")
        #expect(template.variables.map(\.path) == [["name"], ["x"]])
        #expect(template.variables.map(\.location) == [at(1, 18), at(1, 53)])
        #expect(template.render(["name": "Ann", "x": 1]) == "Hi Ann, {{literal}} 1")
    }

    @Test func commentsAreIgnored() throws {
        let template = try compile("{{! mention inputs.secret here }}A{{!\n multi-line\n}}{{x}}")
        #expect(template.variables == [TemplateVariable(path: ["x"], location: at(3, 5), kind: .variable, sectionDepth: 0)])
        #expect(template.render(["x": 1]) == "A1")
    }

    @Test func kindsDepthsIteratorAndTransforms() throws {
        let template = try compile(
            "{{#items}}{{.}}{{^done}}{{name}}{{/done}}{{/items}}{{uppercased(title)}}{{>*kind}}")
        #expect(template.variables == [
            TemplateVariable(path: ["items"], location: at(1, 4), kind: .section, sectionDepth: 0),
            TemplateVariable(path: ["done"], location: at(1, 19), kind: .invertedSection, sectionDepth: 1),
            TemplateVariable(path: ["name"], location: at(1, 27), kind: .variable, sectionDepth: 2),
            TemplateVariable(path: ["title"], location: at(1, 65), kind: .variable, sectionDepth: 0),
            TemplateVariable(path: ["kind"], location: at(1, 77), kind: .variable, sectionDepth: 0),
        ])
        #expect(template.partials.isEmpty)
        #expect(template.render(["title": "hi"]) == "HI")
    }
}

@Suite struct PromptTemplateSyntaxErrorTests {
    @Test(arguments: [
        ("Hi {{#a}} there", "section 'a' is not closed", 4),
        ("{{#a}}x{{/b}}", "section 'a' is closed by '{{/b}}'", 8),
        ("Hello {{name", "tag is not closed", 7),
        ("Hello {{name and {{more}}", "tag is not closed", 7),
        ("{{=<%>=}}", "set-delimiter tag is malformed; write it as '{{=<% %>=}}'", 1),
        ("ok {{/a}}", "'{{/a}}' closes no open section", 4),
        ("{{a b}}", "unexpected 'b' in tag; expected '}}'", 5),
        ("x {{}}", "tag has no name", 3),
        ("{{! never closed", "comment is not closed", 1),
        ("{{{x}}", "'{{{x}}' is missing its final '}'", 1),
        ("{{> }}", "partial tag has no name", 1),
        ("{{f(x}}", "malformed transform 'f(x'; write it as 'transform(name)'", 3),
        ("{{=<% %>=}} <%#a%><%/b%>", "section 'a' is closed by '<%/b%>'", 19),
        ("{{% CONTENT_TYPE: HTML }}",
         "prompt templates always render plain text; the only pragma allowed is '{{% CONTENT_TYPE: TEXT }}'", 1),
    ])
    func errorsOnTheFirstLine(source: String, message: String, column: Int) throws {
        let diagnostic = try #require(syntaxError(source, origin: origin(line: 7, column: 15)))
        #expect(diagnostic.id == .templateSyntax)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message == message)
        #expect(diagnostic.location == at(7, 14 + column))
    }

    @Test func mismatchedCloseNotesTheOpeningTag() throws {
        let diagnostic = try #require(syntaxError("{{#a}}x{{/b}}", origin: origin(line: 7, column: 15)))
        #expect(diagnostic.notes == [Diagnostic.Note("section 'a' opens here", at: at(7, 15))])
    }

    @Test func errorsOnALaterLineOfABlockScalar() throws {
        let yaml = """
            steps:
              - prompt: |
                  Line one
                  Then {{#items}}{{.}}
                  {{/item}}
            """
        let origin = blockOrigin(yaml, line: 2, column: 13)
        let mismatch = try #require(syntaxError("Line one\nThen {{#items}}{{.}}\n{{/item}}\n", origin: origin))
        #expect(mismatch.message == "section 'items' is closed by '{{/item}}'")
        #expect(mismatch.location == at(5, 7))
        #expect(mismatch.notes.first?.location == at(4, 12))
        let unclosed = try #require(syntaxError("Line one\n  Say {{name\n", origin: origin))
        #expect(unclosed.message == "tag is not closed")
        #expect(unclosed.location == at(4, 13))
    }

    @Test func sectionsNestedBeyondTheLimitAreAnErrorNotAStackOverflow() throws {
        func nested(_ depth: Int, _ open: String, _ close: String) -> String {
            String(repeating: open, count: depth) + "{{x}}" + String(repeating: close, count: depth)
        }
        #expect(try compile(nested(100, "{{#a}}", "{{/a}}")).render(["a": true, "x": "deep"]) == "deep")
        let diagnostic = try #require(syntaxError(nested(101, "{{#a}}", "{{/a}}"), origin: origin(line: 7, column: 15)))
        #expect(diagnostic.id == .templateSyntax)
        #expect(diagnostic.message == "sections are nested too deeply: more than 100 levels")
        #expect(diagnostic.location == at(7, 15 + 100 * 6))
        // Thousands of levels, of each kind that nests, closed or not, fail the same way.
        for hostile in [nested(5_000, "{{#a}}", "{{/a}}"), nested(5_000, "{{^a}}", ""), nested(5_000, "{{$b}}", "{{/b}}"),
                        nested(5_000, "{{<p}}", "{{/p}}")]
        {
            #expect(syntaxError(hostile)?.message == "sections are nested too deeply: more than 100 levels")
        }
    }

    @Test func errorsFoundBySwiftMustacheKeepTheirLineAndColumn() throws {
        // Parents are checked by swift-mustache, which reports the end of the parent section.
        let source = "intro\n\n{{<layout}}{{x}}{{/layout}}"
        let diagnostic = try #require(syntaxError(source, origin: origin(line: 3, column: 9)))
        #expect(diagnostic.id == .templateSyntax)
        #expect(diagnostic.message == "only '{{$block}}' overrides may appear inside a '{{<parent}}' section")
        #expect(diagnostic.location == at(5, 28))
    }
}
