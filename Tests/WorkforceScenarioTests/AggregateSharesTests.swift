import Foundation
import Testing
import Workforce
import WorkforceScenario

/// An aggregate's share written once and split among its members in fixed proportions.
struct AggregateSharesTests {
    let example = Fixtures.packageRoot + "/Scenarios/example.yaml"
    let path = "recruitment[0].ethnicity[1].shares"

    @Test func membersShareOneParameter() throws {
        let value = "{White: rest, BAME: {share: {uniform: [0.3, 0.5]}, split: {Black: 0.2, Asian: 0.5, Mixed: 0.2, Other: 0.1}}}"
        let model = try ScenarioLoader.load(path: example, overrides: ["\(path)=\(value)"]).model
        let shares = model.intakes[0].ethnicity.entries[1].value.entries
        #expect(shares[0] == .rest)
        var parameters = Set<Int>()
        var fractions: [Double] = []
        for entry in shares.dropFirst() {
            guard case .part(let p, let fraction) = entry else {
                Issue.record("expected a part, got \(entry)")
                return
            }
            parameters.insert(p.index)
            fractions.append(fraction)
        }
        #expect(fractions == [0.2, 0.5, 0.2, 0.1])
        #expect(parameters.count == 1)
        let spec = model.parameters[parameters.first!]
        #expect(spec.path == "\(path).BAME.share")
        #expect(spec.distribution == .uniform(low: 0.3, high: 0.5))
        // The share can be changed with one --set, which is what `solve --vary` needs.
        let moved = try ScenarioLoader.load(path: example, overrides: ["\(path)=\(value)", "\(path).BAME.share=0.45"]).model
        #expect(moved.parameters.contains { $0.path == "\(path).BAME.share" && $0.distribution == .fixed(0.45) })
    }

    @Test func splitMustSumToOneAndMembersAppearOnce() {
        let bad = "{White: rest, Black: 0.1, BAME: {share: 0.4, split: {Black: 0.2, Asian: 0.5, Mixed: 0.2}}}"
        do {
            _ = try ScenarioLoader.load(path: example, overrides: ["\(path)=\(bad)"])
            Issue.record("expected problems")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.contains { $0.contains("\(path).BAME.split: shares sum to 0.9 (0.1 short of 1)") }, "\(messages)")
        }
        let twice = "{White: rest, Black: 0.1, BAME: {share: 0.4, split: {Black: 0.2, Asian: 0.8}}}"
        do {
            _ = try ScenarioLoader.load(path: example, overrides: ["\(path)=\(twice)"])
            Issue.record("expected problems")
        } catch {
            #expect(error.diagnostics.map(\.message).contains("Black is given twice (alone and in an aggregate, or in two aggregates); expected each ethnicity once"))
        }
    }
}
