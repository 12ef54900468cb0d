import Testing
import Workforce
import _WorkforceTestSupport

/// Warnings about valid models that are probably not what was meant.
@Suite struct WarningTests {
    /// A Sergeant rank of 400 with an establishment of 400, but no promotion rule into it, shrinks
    /// as its officers leave: the model says so, and says so no more once a rule fills it.
    @Test func aRankThatCanOnlyShrinkIsNamed() {
        var b = ModelBuilder(ranks: ["Constable", "Sergeant"])
        b.set(rank: 0, ethnicity: 0, service: 5, 1000)
        b.set(rank: 1, ethnicity: 0, service: 10, 400)
        let leaving = b.uniformLeaving(0.05)
        let establishment = [1: Dated(constant: b.parameter(400))]
        let shrinking = b.model(leaving: leaving, establishment: establishment)
        #expect(shrinking.warnings == [
            "Sergeant has an establishment but nothing fills it: no intake recruits into it and there is no promotion rule into it, "
                + "so it can only shrink from its 400 officers at the start; add `promotion: {Sergeant: ...}` to fill it by vacancy."
        ])
        let filled = b.model(leaving: leaving, establishment: establishment, promotion: [1: Promotion(mode: .vacancy, minService: 2)])
        #expect(filled.warnings.isEmpty)
        // Without an establishment nothing is promised, so nothing is said.
        #expect(b.model(leaving: leaving).warnings.isEmpty)
    }
}
