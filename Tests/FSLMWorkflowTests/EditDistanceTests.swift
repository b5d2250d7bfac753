import FSLMWorkflow
import Testing

@Suite struct EditDistanceTests {
    @Test func distances() {
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.distance("route", "route") == 0)
    }

    @Test func suggestsCloseNamesOnly() {
        #expect(EditDistance.suggestion(for: "rout", among: ["route", "solve"]) == "route")
        #expect(EditDistance.suggestion(for: "extrct", among: ["extract", "answer"]) == "extract")
        #expect(EditDistance.suggestion(for: "xyz", among: ["route", "solve"]) == nil)
    }
}
