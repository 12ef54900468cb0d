import WorkforceFormats
import Foundation
import Testing
import Workforce
import WorkforceScenario

/// Scenarios that load, and the model they give.
struct LoadingTests {
    @Test func exampleLoads() throws {
        let path = Fixtures.packageRoot + "/Scenarios/example.yaml"
        let loaded = try ScenarioLoader.load(path: path)
        let model = loaded.model
        #expect(loaded.file == path)
        #expect(loaded.stem == "example")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(loaded.sha256 == SHA256.hex(Array(bytes)))
        #expect(model.name == "example")
        #expect(model.description.hasPrefix("A force of 1,000 officers"))
        #expect(model.dimensions.ranks == ["Constable", "Sergeant", "Inspector"])
        #expect(model.dimensions.aggregates == [Aggregate(name: "BAME", dimension: .ethnicity, members: [1, 2, 3, 4])])
        #expect(model.timeline == Timeline(
            start: Month(year: 2021, month: 12), horizon: Month(year: 2030, month: 12), step: .month,
            replications: 1000, seed: 20211201))
        #expect(model.initial.count == model.dimensions.cellCount)
        #expect((0..<3).map { Fixtures.headcount(model, rank: $0) } == [780, 170, 50])
        #expect(model.promotion.keys.sorted() == [1, 2])
        #expect(model.establishment[2]?.entries.map(\.from) == [Month(year: 2021, month: 12), Month(year: 2024, month: 4)])
        #expect(model.intakes.count == 1)
        #expect(model.intakes.first?.ethnicity.changes == [Month(year: 2022, month: 4)])
        #expect(model.interventions.first?.selector.ethnicities == [false, true, false, false, false])
    }

    /// Inspector: 50 officers, split over groups by share(e)·share(g) and then over years by
    /// the service profile, worked out by hand with the largest-remainder rule.
    @Test func exampleInspectorSplitMatchesHandArithmetic() throws {
        let model = try ScenarioLoader.load(path: Fixtures.packageRoot + "/Scenarios/example.yaml").model
        let d = model.dimensions
        // 50 × (0.886, 0.026, 0.05, 0.024, 0.014) × (0.24, 0.76) gives, White Female first,
        // 10.632 33.668 0.312 0.988 0.6 1.9 0.288 0.912 0.168 0.532: floors sum to 44, and the
        // 6 units left go to the largest remainders .988 .912 .9 .668 .632 .6.
        let groups = (0..<d.groupCount).map { group in Fixtures.byService(model, rank: 2, group: group).reduce(0, +) }
        #expect(groups == [11, 34, 0, 1, 1, 2, 0, 1, 0, 0])
        // White Male, 34 officers: years 10-19 get 34 × 0.045 = 1.53 each, years 20-29 get
        // 34 × 0.048 = 1.632, years 30-34 get 34 × 0.014 = 0.476. Floors give 20; the 14 units
        // left go to the ten .632 years, then to the four lowest .53 years.
        let whiteMale = Fixtures.byService(model, rank: 2, group: d.group(0, 1))
        let expected = Array(repeating: 0, count: 10) + [2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
            + Array(repeating: 2, count: 10) + Array(repeating: 0, count: 5)
        #expect(whiteMale == expected)
    }

    @Test func exampleParametersCarryPathsAndRanges() throws {
        let model = try ScenarioLoader.load(path: Fixtures.packageRoot + "/Scenarios/example.yaml").model
        let byPath = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.path, $0) })
        #expect(byPath["leaving.rates.Constable[2]"] == ParameterSpec(
            path: "leaving.rates.Constable[2]", distribution: .fixed(0.03), range: 0...1,
            label: "Leaving rate of Constables with 5–9 years' service"))
        #expect(byPath["leaving.multipliers[0].factor"]?.distribution == .uniform(low: 1.05, high: 1.25))
        #expect(byPath["leaving.multipliers[0].factor"]?.range == 0...Double.greatestFiniteMagnitude)
        #expect(byPath["interventions[0].promotion_odds"]?.distribution == .triangular(low: 1, mode: 1.3, high: 1.6))
        #expect(byPath["establishment.Inspector[1].value"]?.distribution == .fixed(55))
        #expect(byPath["recruitment[0].ethnicity[1].shares.Black"]?.distribution == .fixed(0.08))
        // White is the rest, so it is no parameter.
        #expect(byPath["recruitment[0].ethnicity[1].shares.White"] == nil)
        #expect(model.intakes.first?.ethnicity.entries.last?.value.entries.first == .rest)
    }

    @Test func exampleTargets() throws {
        let targets = try ScenarioLoader.load(path: Fixtures.packageRoot + "/Scenarios/example.yaml").model.targets
        #expect(targets.map(\.groupLabel) == ["BAME", "BAME", "Black", "Female"])
        #expect(targets[2].ranks == [false, true, false])
        #expect(targets[3].population == .recruits)
        #expect(targets[3].periodStart == Month(year: 2022, month: 4))
        #expect(targets[3].date == Month(year: 2023, month: 3))
        #expect(targets[3].group.genders == [true, false])
        #expect(targets[0].comparison == .atLeast && targets[0].threshold == 0.21)
    }

    @Test func defaults() throws {
        let text = Fixtures.small
            .replacingOccurrences(of: "  replications: 50\n", with: "")
        let loaded = try ScenarioLoader.parse(text: text, file: "Scenarios/small-one.yml", directory: "Scenarios")
        #expect(loaded.stem == "small-one")
        #expect(loaded.model.name == "small-one")
        #expect(loaded.model.timeline.replications == 1000)
        #expect(loaded.model.timeline.seed == 1)
        #expect(loaded.model.intakes.first?.rank == 0)
        #expect(loaded.model.promotion[1]?.minService == 3)
        let target = try #require(loaded.model.targets.first)
        // The 12 months ending at `by`.
        #expect(target.periodStart == Month(year: 2025, month: 1))
        #expect(target.ranks == [true, true])
        #expect(target.group.ethnicities == [false, true] && target.group.genders == [true, true])
    }

    @Test func groupOfEthnicityAndGender() throws {
        let text = Fixtures.small(replacing: "group: Minority", with: "group: {ethnicity: Black, gender: Female}")
        let target = try #require(try Fixtures.load(text).model.targets.first)
        #expect(target.groupLabel == "Black Female")
        #expect(target.group.ethnicities == [false, true])
        #expect(target.group.genders == [true, false])
    }

    @Test func csvInitialWorkforceWithBands() throws {
        let folder = try Fixtures.temporaryFolder()
        let csv = """
            rank,ethnicity,gender,service,headcount
            Constable,White,Male,0-4,7
            Constable,Black,Female,3,2
            Sergeant, White ,Female,5+,4
            Constable,White,Male,2,1

            """
        try csv.write(toFile: folder + "/people.csv", atomically: true, encoding: .utf8)
        let text = Fixtures.small(initialCSV: "people.csv")
        try text.write(toFile: folder + "/from-csv.yaml", atomically: true, encoding: .utf8)
        let model = try ScenarioLoader.load(path: folder + "/from-csv.yaml").model
        let d = model.dimensions
        // 7 over years 0-4: 1 each and the 2 left to years 0 and 1; the last row adds 1 to year 2.
        #expect(Fixtures.byService(model, rank: 0, group: d.group(0, 1)) == [2, 2, 2, 1, 1, 0, 0, 0, 0, 0])
        #expect(Fixtures.byService(model, rank: 0, group: d.group(1, 0)) == [0, 0, 0, 2, 0, 0, 0, 0, 0, 0])
        // 4 over years 5-9: the units go to the lowest years.
        #expect(Fixtures.byService(model, rank: 1, group: d.group(0, 0)) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 0])
        #expect(model.initial.reduce(0, +) == 14)
    }

    @Test func jsonScenarioLoads() throws {
        let json = """
            {
              "name": "json one",
              "dimensions": {"ranks": ["PC"], "ethnicities": ["A", "B"], "genders": ["F", "M"], "max_service": 3},
              "simulation": {"start": "2024-01", "horizon": "2025-01", "step": "year", "seed": 7},
              "initial": {"ranks": {"PC": {"headcount": 10, "ethnicity": {"A": 0.5, "B": 0.5},
                          "gender": {"F": 0.5, "M": "rest"}, "service": {"0+": 1}}}},
              "leaving": {"bands": ["0-2"], "rates": {"PC": [{"beta": [2, 8]}]}},
              "recruitment": [{"size": {"per_year": [{"from": "2024-01", "value": 3}, {"from": "2024-07", "value": 4.5}]},
                               "ethnicity": {"A": 1}, "gender": {"F": 1}}]
            }
            """
        let loaded = try ScenarioLoader.parse(text: json, file: "j.json", directory: "")
        #expect(loaded.stem == "j")
        #expect(loaded.model.name == "json one")
        #expect(loaded.model.timeline.seed == 7)
        #expect(loaded.model.initial.reduce(0, +) == 10)
        #expect(loaded.model.parameters.first?.distribution == .beta(a: 2, b: 8, low: 0, high: 1))
        guard case .perYear(let perYear)? = loaded.model.intakes.first?.size else {
            Issue.record("expected a per-year intake")
            return
        }
        #expect(perYear.changes == [Month(year: 2024, month: 7)])
    }

    @Test func overridesChangeValues() throws {
        let model = try Fixtures.load(Fixtures.small, overrides: [
            "simulation.replications=7",
            "leaving.rates.Constable[1]=0.3",
            "leaving.rates.Sergeant[0]={uniform: [0.01, 0.02]}",
            "name=Renamed",
            "leaving.multipliers=[{genders: Female, factor: 1.2}]",
        ]).model
        #expect(model.timeline.replications == 7)
        #expect(model.name == "Renamed")
        let byPath = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.path, $0.distribution) })
        #expect(byPath["leaving.rates.Constable[1]"] == .fixed(0.3))
        #expect(byPath["leaving.rates.Sergeant[0]"] == .uniform(low: 0.01, high: 0.02))
        #expect(model.leaving.multipliers.first?.selector.genders == [true, false])
    }

    @Test func scenarioFilesExpandsFolders() throws {
        let folder = try Fixtures.temporaryFolder()
        for name in ["b.yaml", "a.json", "c.yml", "notes.txt"] {
            try "x".write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: folder + "/sub.yaml", withIntermediateDirectories: false)
        try "x".write(toFile: folder + "/sub.yaml/d.yaml", atomically: true, encoding: .utf8)
        #expect(try ScenarioLoader.scenarioFiles([folder, folder + "/notes.txt"])
            == ["\(folder)/a.json", "\(folder)/b.yaml", "\(folder)/c.yml", "\(folder)/notes.txt"])
        let error = #expect(throws: InputError.self) { try ScenarioLoader.scenarioFiles([folder, folder + "/missing.yaml"]) }
        #expect(error?.description == "\(folder)/missing.yaml: no such file or folder; expected a scenario file or a folder of them")
    }
}
