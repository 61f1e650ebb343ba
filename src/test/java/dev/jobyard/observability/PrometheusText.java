package dev.jobyard.observability;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.OptionalDouble;

/** One scrape of /q/metrics, and the value of a series in it. */
record PrometheusText(String text) {

    static PrometheusText scrape() {
        return new PrometheusText(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The value of {@code metric} whose labels include all of {@code labels}; empty when there is no such series. */
    OptionalDouble value(String metric, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric + "{") && !line.startsWith(metric + " ")) {
                continue;
            }
            // series, value, then perhaps a timestamp or an exemplar ("# {trace_id=...} ...")
            int end = line.startsWith(metric + "{") ? line.indexOf('}') + 1 : metric.length();
            String series = line.substring(0, end);
            if (labels.entrySet().stream().allMatch(l -> series.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
                return OptionalDouble.of(Double.parseDouble(line.substring(end).trim().split(" ")[0]));
            }
        }
        return OptionalDouble.empty();
    }

    double valueOrZero(String metric, Map<String, String> labels) {
        return value(metric, labels).orElse(0);
    }
}
