import WorkforceFormats
import Foundation
import Testing
@testable import WorkforceScenario

/// Bad scenarios: the exact report, `file:line:column: path: message`, one problem a line.
struct DiagnosticTests {
    private func problems(replacing old: String, with new: String, overrides: [String] = []) -> String {
        Fixtures.problems(Fixtures.small(replacing: old, with: new), overrides: overrides)
    }

    @Test func smallScenarioIsValid() throws {
        let model = try Fixtures.load(Fixtures.small).model
        #expect(model.name == "t")
    }

    /// `title:` is words on one line, 3 to 90 characters: carried into the model as written
    /// (spaces around it dropped); the name stays the identifier.
    @Test func aTitleIsOneLineOfWords() throws {
        let model = try Fixtures.load("title: \"  Met action plan, as published (2022) \"\n" + Fixtures.small).model
        #expect(model.title == "Met action plan, as published (2022)")
        #expect(model.name == "t")
        #expect(try Fixtures.load(Fixtures.small).model.title == nil)
        #expect(Fixtures.problems("title: \"\(String(repeating: "x", count: 91))\"\n" + Fixtures.small) == """
            t.yaml:1:8: title: found a title of 91 characters; expected a title in words on one line, 3 to 90 characters
            """)
        #expect(Fixtures.problems("title: \"ab\"\n" + Fixtures.small) == """
            t.yaml:1:8: title: found a title of 2 characters; expected a title in words on one line, 3 to 90 characters
            """)
        #expect(Fixtures.problems("title: |\n  Two\n  lines\n" + Fixtures.small) == """
            t.yaml:1:8: title: found a title of several lines; expected a title in words on one line, 3 to 90 characters
            """)
        #expect(Fixtures.problems("title: [a, b]\n" + Fixtures.small) == """
            t.yaml:1:8: title: found a list; expected a title in words on one line, 3 to 90 characters
            """)
    }

    @Test func unknownKeyAndTheMissingOneItReplaced() {
        #expect(problems(replacing: "max_service: 10", with: "max_servce: 10") == """
            t.yaml:2:3: dimensions.max_service: missing; expected the number of years of service, a whole number ≥ 1
            t.yaml:5:3: dimensions.max_servce: unknown key 'max_servce' (did you mean 'max_service'?); expected one of: ranks, ethnicities, genders, max_service, aggregates
            """)
    }

    @Test func wrongType() {
        #expect(problems(replacing: "replications: 50", with: "replications: [50]") == """
            t.yaml:12:17: simulation.replications: found a list; expected a whole number from 1 to 10000000
            """)
        #expect(problems(replacing: "step: quarter", with: "step: \"3\"") == """
            t.yaml:11:9: simulation.step: unknown step '3'; expected one of: month, quarter, year
            """)
    }

    @Test func probabilityAboveOne() {
        #expect(problems(replacing: "Constable: [0.1, 0.05]", with: "Constable: [1.3, 0.05]") == """
            t.yaml:23:17: leaving.rates.Constable[0]: 1.3 is outside 0...1; expected an annual probability between 0 and 1
            """)
    }

    @Test func sharesNotSummingToOne() {
        #expect(problems(replacing: "gender: {Female: 0.3, Male: 0.7}", with: "gender: {Female: 0.3, Male: 0.68}") == """
            t.yaml:18:15: initial.ranks.Constable.gender: shares sum to 0.98 (0.02 short of 1); expected shares summing to 1
            """)
        #expect(problems(replacing: "gender: {Female: 0.5, Male: 0.5}", with: "gender: {Female: 0.5, Male: 0.52}") == """
            t.yaml:32:13: recruitment[0].gender: shares sum to 1.02 (0.02 over 1); expected shares summing to 1
            """)
    }

    @Test func sharesWithDistributions() {
        #expect(problems(replacing: "{White: rest, Black: 0.2}", with: "{White: 0.8, Black: {uniform: [0.1, 0.3]}}") == """
            t.yaml:31:16: recruitment[0].ethnicity: shares with a distribution but no rest; expected one entry to be rest
            """)
        #expect(problems(replacing: "{Female: 0.5, Male: 0.5}", with: "{Female: {uniform: [0.4, 0.6]}, Male: 0.5, White: rest}") == """
            t.yaml:32:56: recruitment[0].gender.White: unknown gender 'White'; expected one of: Female, Male
            """)
        #expect(problems(replacing: "{Female: 0.5, Male: 0.5}", with: "{Female: {uniform: [0.4, 0.6]}, Male: rest}") == "loaded t without problems")
        #expect(problems(
            replacing: "{White: rest, Black: 0.2}", with: "{White: {triangular: [0.5, 0.7, 0.9]}, Black: {beta: [2, 5]}, Other: rest}")
            .hasPrefix("t.yaml:31:78: recruitment[0].ethnicity.Other: unknown ethnicity 'Other'"))
    }

    @Test func sharesWhoseUpperBoundsExceedOne() {
        let dimensions = Fixtures.small(replacing: "ethnicities: [White, Black]", with: "ethnicities: [White, Black, Other]")
        let text = dimensions.replacingOccurrences(
            of: "{White: rest, Black: 0.2}", with: "{White: {uniform: [0.7, 0.9]}, Black: {beta: [2, 5]}, Other: rest}")
        #expect(Fixtures.problems(text) == """
            t.yaml:31:16: recruitment[0].ethnicity: the upper bounds of the shares other than rest sum to 1.9 (0.9 over 1); expected at most 1, so that rest cannot be negative
            """)
    }

    @Test func unknownCategory() {
        #expect(problems(replacing: "{White: rest, Black: 0.2}", with: "{White: rest, Blak: 0.2}") == """
            t.yaml:31:30: recruitment[0].ethnicity.Blak: unknown ethnicity 'Blak' (did you mean 'Black'?); expected one of: White, Black, Minority
            """)
    }

    @Test func negativeHeadcount() {
        #expect(problems(replacing: "headcount: 100", with: "headcount: -5") == """
            t.yaml:16:18: initial.ranks.Constable.headcount: -5 is negative; expected a headcount: a whole number from 0 to 2147483647
            """)
    }

    @Test func datesOutOfOrder() {
        #expect(problems(replacing: "{from: 2025-01, value: 110}", with: "{from: 2023-06, value: 110}") == """
            t.yaml:26:51: establishment.Constable[1].from: 2023-06 is not after 2024-01, the date before it; expected increasing dates
            """)
        #expect(problems(replacing: "horizon: 2026-01", with: "horizon: 2026-02") == """
            t.yaml:10:12: simulation.horizon: 2026-02 is 25 months after start 2024-01, not a whole number of quarters; expected a month a multiple of 3 months after start
            """)
        #expect(problems(replacing: "start: 2024-01", with: "start: 2024-13") == """
            t.yaml:9:10: simulation.start: '2024-13' is not a month; expected a month written YYYY-MM, e.g. 2024-03
            """)
    }

    @Test func targetProblems() {
        #expect(problems(replacing: "group: Minority", with: "group: Purple") == """
            t.yaml:36:12: targets[0].group: unknown group 'Purple'; expected one of: White, Black, Female, Male, Minority
            """)
        #expect(problems(replacing: "by: 2025-12", with: "by: 2027-12") == """
            t.yaml:38:9: targets[0].by: 2027-12 is outside the run, 2024-01 to 2026-01; expected a month within it
            """)
    }

    @Test func bandsWithAGapOrOverlap() {
        #expect(problems(replacing: #"bands: ["0-4", "5-9"]"#, with: #"bands: ["0-3", "5-9"]"#) == """
            t.yaml:21:18: leaving.bands[1]: '5-9' leaves year 4 uncovered; expected service bands covering years 0-9 in order, without gaps or overlaps
            """)
        #expect(problems(replacing: #"bands: ["0-4", "5-9"]"#, with: #"bands: ["0-4", "4-9"]"#) == """
            t.yaml:21:18: leaving.bands[1]: '4-9' overlaps the band before it, which ends at year 4; expected service bands covering years 0-9 in order, without gaps or overlaps
            """)
        #expect(problems(replacing: #"bands: ["0-4", "5-9"]"#, with: #"bands: ["0-4", "5-12"]"#) == """
            t.yaml:21:18: leaving.bands[1]: '5-12' runs past year 9; expected years within 0-9 (max_service is 10)
            """)
    }

    @Test func ratesOfTheWrongLength() {
        #expect(problems(replacing: "Constable: [0.1, 0.05]", with: "Constable: [0.1]") == """
            t.yaml:23:16: leaving.rates.Constable: found 1 rate; expected 2 annual probabilities, one per band
            """)
    }

    @Test func vacancyWithoutEstablishment() {
        #expect(problems(replacing: "{by: rate, rate: 0.1, min_service: 3}", with: "{by: vacancy, min_service: 3}") == """
            t.yaml:28:18: promotion.Sergeant.by: promotion by vacancy needs an establishment for Sergeant; expected establishment.Sergeant, or by: rate
            """)
    }

    @Test func promotionIntoTheLowestRank() {
        #expect(problems(replacing: "Sergeant: {by: rate", with: "Constable: {by: rate") == """
            t.yaml:28:3: promotion.Constable: 'Constable' is the lowest rank, which no one is promoted into; expected one of: Sergeant
            """)
    }

    @Test func badDistributions() {
        func rate(_ written: String) -> String {
            problems(replacing: "Constable: [0.1, 0.05]", with: "Constable: [0.1, \(written)]")
        }
        #expect(rate("{uniform: [0.5, 0.2]}") == """
            t.yaml:23:22: leaving.rates.Constable[1]: uniform [0.5, 0.2]: low 0.5 is above high 0.2; expected uniform: [low, high] with low ≤ high
            """)
        #expect(rate("{uniform: [0.5, 1.2]}") == """
            t.yaml:23:22: leaving.rates.Constable[1]: uniform [0.5, 1.2] reaches outside 0...1; expected an annual probability between 0 and 1
            """)
        #expect(rate("{normal: [0.5, 0]}") == """
            t.yaml:23:22: leaving.rates.Constable[1]: normal [0.5, 0]: sd 0 is not positive; expected normal: [mean, sd] with sd > 0
            """)
        #expect(rate("{beta: [2, -1]}") == """
            t.yaml:23:22: leaving.rates.Constable[1]: beta [2, -1]: b -1 is outside 0.001 to 100000; expected beta: [a, b] or [a, b, low, high] with a and b from 0.001 to 100000 and low < high
            """)
        #expect(rate("{triangular: [0.1, 0.05, 0.3]}") == """
            t.yaml:23:22: leaving.rates.Constable[1]: triangular [0.1, 0.05, 0.3]: mode 0.05 is below low 0.1; expected triangular: [low, mode, high] with low ≤ mode ≤ high and low < high
            """)
        #expect(rate("{gamma: [1, 2]}") == """
            t.yaml:23:23: leaving.rates.Constable[1]: unknown distribution 'gamma'; expected one of: uniform, normal, beta, triangular
            """)
        #expect(rate("{uniform: [1]}") == """
            t.yaml:23:32: leaving.rates.Constable[1].uniform: found 1 number; expected uniform: [low, high]
            """)
    }

    @Test func yamlSyntaxError() {
        #expect(problems(replacing: "step: quarter", with: "step: [quarter") == """
            t.yaml:12:15: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence; expected YAML or JSON
            """)
    }

    @Test func duplicateKey() {
        #expect(problems(replacing: "  step: quarter\n", with: "  step: quarter\n  step: year\n") == """
            t.yaml:11:3: simulation.step: key 'step' appears more than once in this mapping; expected each key once
            """)
    }

    @Test func invalidOverridePaths() {
        #expect(Fixtures.problems(Fixtures.small, overrides: [
            "leaving.bands[5]=0-9", "leaving.rates.Constable[0].low=1", "replications", "simulation..seed=2",
        ]) == """
            <--set leaving.bands[5]=0-9>: leaving.bands[5]: leaving.bands has 2 entries, so there is no [5]; expected an index below 2
            <--set leaving.rates.Constable[0].low=1>: leaving.rates.Constable[0].low: leaving.rates.Constable[0] is the number 0.1, not a mapping; expected a path through lists and mappings
            <--set replications>: no '='; expected key.path=value, e.g. simulation.replications=100 or leaving.rates.Constable[2]=0.04
            <--set simulation..seed=2>: malformed path 'simulation..seed'; expected key.path=value, e.g. simulation.replications=100 or leaving.rates.Constable[2]=0.04
            """)
    }

    @Test func problemsInOverriddenValuesAreLocatedAtTheOverride() {
        #expect(Fixtures.problems(Fixtures.small, overrides: [
            "leaving.rates.Constable=[0.1, 2]", "simulation.step=weekly", "simulation.sed=3",
        ]) == """
            <--set leaving.rates.Constable=[0.1, 2]>: leaving.rates.Constable[1]: 2 is outside 0...1; expected an annual probability between 0 and 1
            <--set simulation.step=weekly>: simulation.step: unknown step 'weekly'; expected one of: month, quarter, year
            <--set simulation.sed=3>: simulation.sed: unknown key 'sed' (did you mean 'seed'?); expected one of: start, horizon, step, replications, seed
            """)
    }

    @Test func problemsInMappingsAnOverrideCreatedAreLocatedAtIt() {
        let withoutSimulation = Fixtures.small(
            replacing: "simulation:\n  start: 2024-01\n  horizon: 2026-01\n  step: quarter\n  replications: 50\n", with: "")
        #expect(Fixtures.problems(withoutSimulation, overrides: ["simulation.step=year"]) == """
            <--set simulation.step=year>: simulation.start: missing; expected the as-at month of the initial workforce, YYYY-MM
            <--set simulation.step=year>: simulation.horizon: missing; expected the last month simulated, YYYY-MM
            """)
    }

    @Test func interventionEffects() {
        let text = Fixtures.small + """
            interventions:
              - name: Both
                from: 2025-01
                until: 2024-01
                leaving: 0.5
                promotion_odds: 2
              - name: Shares for some
                from: 2025-01
                ethnicities: Black
                intake_shares: {gender: {Female: 1}}
              - name: Nothing
                from: 2025-01

            """
        #expect(Fixtures.problems(text) == """
            t.yaml:40:5: interventions[0]: several effects (leaving, promotion_odds); expected exactly one of: leaving, promotion_odds, intake_shares, transfers_out, stage_pass, promotion_pass
            t.yaml:42:12: interventions[0].until: 2024-01 is before from 2025-01; expected from or later
            t.yaml:47:5: interventions[1].ethnicities: ethnicities with intake_shares, which replaces the shares of whole intakes; expected only ranks
            t.yaml:49:5: interventions[2]: no effect; expected exactly one of: leaving, promotion_odds, intake_shares, transfers_out, stage_pass, promotion_pass
            """)
    }

    /// A close misspelling gets one suggestion; a name close to two choices, or only close to a
    /// word of the opposite meaning, gets none.
    @Test func closeMisspellingsGetASuggestion() {
        #expect(ScenarioReader.didYouMean("Sergent", ["Constable", "Sergeant"]) == " (did you mean 'Sergeant'?)")
        #expect(ScenarioReader.didYouMean("sergaent", ["Constable", "Sergeant"]) == " (did you mean 'Sergeant'?)", "a swap is one edit")
        #expect(ScenarioReader.didYouMean("Majority", ["White", "Minority"]) == "")
        #expect(ScenarioReader.didYouMean("Inspektor", ["Inspector", "Constable"]) == " (did you mean 'Inspector'?)")
        #expect(ScenarioReader.didYouMean("Blac", ["Black", "Blue"]) == " (did you mean 'Black'?)")
        #expect(ScenarioReader.didYouMean("Bla", ["Black", "Blue"]) == "")
        #expect(ScenarioReader.didYouMean("Ab", ["Aa", "Ac"]) == "", "two equally close choices: no guess")
    }

    @Test func severalProblemsAreAllReportedInFileOrder() {
        let text = Fixtures.small
            .replacingOccurrences(of: "headcount: 100", with: "headcount: 99.5")
            .replacingOccurrences(of: "step: quarter", with: "step: fortnight")
            .replacingOccurrences(of: "Sergeant: [0.05, 0.04]", with: "Sergent: [0.05, 0.04]")
            .replacingOccurrences(of: "group: Minority", with: "group: Majority")
        #expect(Fixtures.problems(text) == """
            t.yaml:11:9: simulation.step: unknown step 'fortnight'; expected one of: month, quarter, year
            t.yaml:16:18: initial.ranks.Constable.headcount: 99.5 is not a whole number; expected a headcount: a whole number from 0 to 2147483647
            t.yaml:23:5: leaving.rates.Sergeant: missing; expected a list of 2 annual probabilities, one per band
            t.yaml:24:5: leaving.rates.Sergent: unknown rank 'Sergent' (did you mean 'Sergeant'?); expected one of: Constable, Sergeant
            t.yaml:36:12: targets[0].group: unknown group 'Majority'; expected one of: White, Black, Female, Male, Minority
            """)
    }

    @Test func dimensionProblems() {
        #expect(problems(replacing: "genders: [Female, Male]", with: "genders: [Female, Male, Black, Female]") == """
            t.yaml:4:27: dimensions.genders[2]: 'Black' is both an ethnicity and a gender; expected names unique across both dimensions
            t.yaml:4:34: dimensions.genders[3]: duplicate gender 'Female'; expected distinct names
            """)
        #expect(problems(replacing: "Minority: [Black]", with: "Minority: [Black, Female]") == """
            t.yaml:7:23: dimensions.aggregates.Minority[1]: 'Female' is a gender but the aggregate's first member is an ethnicity; expected categories of one dimension
            """)
    }

    @Test func csvProblemsPointIntoTheCSVFile() throws {
        let folder = try Fixtures.temporaryFolder()
        let csv = """
            rank,ethnicity,gender,service,headcount
            Constable,White,Male,0-4,-3
            Constable,Purple,Female,12,2
            Sergeant,White,Female,5+

            """
        try csv.write(toFile: folder + "/people.csv", atomically: true, encoding: .utf8)
        let text = Fixtures.small(initialCSV: "people.csv")
        #expect(Fixtures.problems(text, directory: folder) == """
            \(folder)/people.csv:2:26: headcount: -3 is negative; expected a headcount: a whole number from 0 to 2147483647
            \(folder)/people.csv:3:11: ethnicity: unknown ethnicity 'Purple'; expected one of: White, Black
            \(folder)/people.csv:3:25: service: '12' runs past year 9; expected years within 0-9 (max_service is 10)
            \(folder)/people.csv:4:1: found 4 fields; expected 5, as in the header
            """)
        #expect(Fixtures.problems(text, directory: folder + "/elsewhere") == """
            t.yaml:14:8: initial.csv: cannot read '\(folder)/elsewhere/people.csv'; expected a UTF-8 CSV file with the header rank,ethnicity,gender,service,headcount, relative to the scenario file
            """)
    }

    @Test func emptyAndNonMappingFiles() {
        #expect(Fixtures.problems("") == "t.yaml: the file is empty; expected a scenario mapping")
        #expect(Fixtures.problems("{}") == """
            t.yaml:1:1: dimensions: missing; expected the ranks, ethnicities, genders and max_service
            t.yaml:1:1: simulation: missing; expected start, horizon and step
            t.yaml:1:1: initial: missing; expected csv: path, or ranks: headcount and shares per rank
            t.yaml:1:1: leaving: missing; expected bands and rates
            """)
    }

    @Test func missingFile() {
        let error = #expect(throws: InputError.self) { try ScenarioLoader.load(path: "/nonexistent/x.yaml") }
        #expect(error?.description == "/nonexistent/x.yaml: cannot read the file; expected a scenario file (YAML or JSON)")
    }
}
