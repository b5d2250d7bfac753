import FSLMWorkflow
import Testing

/// Shapes, text and locations of well-formed documents.
@Suite struct YAMLLoaderTests {
    @Test func blockMappingsAndSequencesWithLocations() throws {
        let result = loadYAML("""
            # a comment
            name: demo   # trailing comment
            stages:
              - id: one
                model: m
              -  two
            """)
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.root)
        #expect(root.lineColumn == "2:1")
        #expect(root.mapping?.map(\.key.scalar?.text) == ["name", "stages"])
        #expect(root.mapping?[1].key.lineColumn == "3:1")
        #expect(root.value(forKey: "name")?.scalar == YAMLScalar("demo"))
        #expect(root.value(forKey: "name")?.lineColumn == "2:7")
        let stages = try #require(root.value(forKey: "stages"))
        #expect(stages.lineColumn == "4:3")
        #expect(stages.sequence?.count == 2)
        #expect(stages.item(0)?.lineColumn == "4:5")
        #expect(stages.item(0)?.value(forKey: "model")?.lineColumn == "5:12")
        #expect(stages.item(1)?.scalar?.text == "two")
        #expect(stages.item(1)?.lineColumn == "6:6")
        #expect(result.source?.path == "t.yaml")
        #expect(result.source?.line(2) == "name: demo   # trailing comment")
    }

    @Test func flowCollections() throws {
        let root = try #require(loadYAML("a: [1, 'two', {b: c}]\nd: {}\n").root)
        let list = try #require(root.value(forKey: "a"))
        #expect(list.lineColumn == "1:4")
        #expect(list.sequence?.count == 3)
        #expect(list.item(1)?.scalar == YAMLScalar("two", style: .singleQuoted))
        #expect(list.item(1)?.lineColumn == "1:8")
        #expect(list.item(2)?.lineColumn == "1:15")
        #expect(list.item(2)?.value(forKey: "b")?.lineColumn == "1:19")
        #expect(root.value(forKey: "d")?.mapping?.isEmpty == true)
        #expect(root.value(forKey: "d")?.lineColumn == "2:4")
    }

    @Test func multiLinePlainScalarIsFolded() throws {
        let root = try #require(loadYAML("text: first\n  second\n\n  third\n").root)
        #expect(root.value(forKey: "text")?.scalar == YAMLScalar("first second\nthird"))
    }

    @Test func literalAndFoldedBlockScalars() throws {
        let root = try #require(loadYAML("""
            lit: |
              line one
                indented
              line three
            fold: >-
              folded
              together

              para
            keep: |+
              x

            end: 1
            """).root)
        let lit = try #require(root.value(forKey: "lit"))
        #expect(lit.scalar == YAMLScalar("line one\n  indented\nline three\n", style: .literal))
        #expect(lit.lineColumn == "1:6")
        let fold = try #require(root.value(forKey: "fold"))
        #expect(fold.scalar == YAMLScalar("folded together\npara", style: .folded))
        #expect(fold.lineColumn == "5:7")
        #expect(root.value(forKey: "keep")?.scalar?.text == "x\n\n")
        #expect(root.value(forKey: "end")?.lineColumn == "13:6")
    }

    @Test func quotedScalarsWithEscapes() throws {
        let root = try #require(loadYAML(#"""
            d: "tab\there \"q\" \u00e9 \x41\n"
            s: 'it''s \n literal'
            e: ""
            """#).root)
        #expect(root.value(forKey: "d")?.scalar == YAMLScalar("tab\there \"q\" é A\n", style: .doubleQuoted))
        #expect(root.value(forKey: "d")?.lineColumn == "1:4")
        #expect(root.value(forKey: "s")?.scalar == YAMLScalar(#"it's \n literal"#, style: .singleQuoted))
        #expect(root.value(forKey: "e")?.scalar == YAMLScalar("", style: .doubleQuoted))
    }

    @Test func columnsCountUnicodeScalars() throws {
        let root = try #require(loadYAML("é: 😀 x\nk: v\n").root)
        #expect(root.value(forKey: "é")?.lineColumn == "1:4")
        #expect(root.value(forKey: "é")?.scalar?.text == "😀 x")
    }

    @Test func explicitTagsAreKept() throws {
        let root = try #require(loadYAML("a: !!str 1\nb: !custom {x: 1}\nc: plain\n").root)
        #expect(root.value(forKey: "a")?.tag == "!!str")
        #expect(root.value(forKey: "a")?.scalar?.text == "1")
        #expect(root.value(forKey: "b")?.tag == "!custom")
        #expect(root.value(forKey: "c")?.tag == nil)
    }

    @Test func nodesWithPropertiesStartAtTheirContent() throws {
        let root = try #require(loadYAML("a: &x \"q\"\nb: !t &y # c\n  k: v\nc: &z\n").root)
        #expect(root.value(forKey: "a")?.lineColumn == "1:7")
        #expect(root.value(forKey: "b")?.lineColumn == "3:3")
        #expect(root.value(forKey: "c")?.scalar?.isNull == true)
        #expect(root.value(forKey: "c")?.lineColumn == "4:4")
    }

    @Test func scalarOriginOfAnchoredTemplate() throws {
        let result = loadYAML("p: &t \"Hi {{x}}\"\n")
        let node = try #require(result.root?.value(forKey: "p"))
        let origin = ScalarOrigin(node: node, source: result.source)
        #expect(origin.location(line: 1, column: 4) == SourceLocation(file: "t.yaml", line: 1, column: 11))
    }

    @Test func scalarOriginFollowsEscapesFoldingAndIndentationIndicators() throws {
        let result = loadYAML("p: \"a\\tb\\nc {{x}}\"\nq: 'it''s {{y}}'\nr: \"one\n  two {{z}}\"\ns: one\n  two {{w}}\nt: |2\n    x {{v}}\n")
        func origin(_ key: String) throws -> ScalarOrigin {
            ScalarOrigin(node: try #require(result.root?.value(forKey: key)), source: result.source)
        }
        #expect(try origin("p").location(line: 2, column: 3) == SourceLocation(file: "t.yaml", line: 1, column: 13))
        #expect(try origin("q").location(line: 1, column: 6) == SourceLocation(file: "t.yaml", line: 2, column: 11))
        #expect(try origin("r").location(line: 1, column: 4) == SourceLocation(file: "t.yaml", line: 3, column: 8))
        #expect(try origin("r").location(line: 1, column: 9) == SourceLocation(file: "t.yaml", line: 4, column: 7))
        #expect(try origin("s").location(line: 1, column: 9) == SourceLocation(file: "t.yaml", line: 6, column: 7))
        #expect(try origin("t").location(line: 1, column: 5) == SourceLocation(file: "t.yaml", line: 8, column: 7))
    }

    @Test func sourceLinesEndAtCRLF() {
        let source = SourceFile(path: "t.yaml", text: "a: 1\r\nb: 2\r\n")
        #expect(source.line(1) == "a: 1")
        #expect(source.line(2) == "b: 2")
        #expect(source.lineCount == 2)
    }

    @Test func aliasesAreExpanded() throws {
        let root = try #require(loadYAML("""
            base: &b
              model: m
              tries: 2
            copy: *b
            name: &n hello
            again: *n
            """).root)
        let copy = try #require(root.value(forKey: "copy"))
        #expect(copy.value(forKey: "model")?.scalar?.text == "m")
        #expect(copy.value(forKey: "model")?.lineColumn == "2:10")
        #expect(root.value(forKey: "again")?.scalar?.text == "hello")
    }

    @Test func mergeKeysLetExplicitKeysWin() throws {
        let root = try #require(loadYAML("""
            defaults: &d
              model: m
              tries: 2
              temp: 0.5
            other: &o
              tries: 9
              extra: yes
            stage:
              tries: 3
              <<: [*d, *o]
              name: s
            """).root)
        #expect(loadYAML("a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n").diagnostics.isEmpty)
        let stage = try #require(root.value(forKey: "stage"))
        let keys = stage.mapping?.compactMap(\.key.scalar?.text)
        #expect(keys == ["tries", "model", "temp", "extra", "name"])
        #expect(stage.value(forKey: "tries")?.scalar?.text == "3")
        #expect(stage.value(forKey: "model")?.lineColumn == "2:10")
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let root = try #require(loadYAML("'<<': x\n").root)
        #expect(root.value(forKey: "<<")?.scalar?.text == "x")
    }

    @Test func emptyStreamHasNoRootAndNoDiagnostics() {
        for text in ["", "# only a comment\n\n", "   \n"] {
            let result = loadYAML(text)
            #expect(result.root == nil)
            #expect(result.diagnostics.isEmpty)
            #expect(result.source?.text == text)
        }
    }

    @Test func explicitDocumentMarkersAreOneDocument() throws {
        let result = loadYAML("---\na: 1\n...\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.value(forKey: "a")?.lineColumn == "2:4")
    }
}
