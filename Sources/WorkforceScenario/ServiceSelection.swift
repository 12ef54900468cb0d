import Workforce
import Yams

extension ScenarioReader {
    /// Reads a selector (`ranks`, `ethnicities`, `genders`) and its optional `service`: a band
    /// of completed years of service such as `"0-1"` (probationers) or `"30+"`.
    mutating func serviceSelector(_ record: Record, _ dimensions: Dimensions) -> Selector? {
        var selector = selector(record, dimensions)
        if let node = record["service"] {
            guard let band = band(node, record.path("service"), maxService: dimensions.maxService) else { return nil }
            selector?.service = band
        }
        return selector
    }
}
