#include <gtest/gtest.h>

#include <srs_app_exporter.hpp>
#include <srs_protocol_http_response.hpp>
#include <srs_utest_http_mock.hpp>

#include <map>
#include <regex>
#include <sstream>

namespace {

// Checks the text against the exposition format: HELP and TYPE before each family's samples,
// "name{label="value",...} number" samples; returns the samples by name.
std::map<std::string, std::string> parse_prometheus(const std::string& text, std::string* error) {
    std::map<std::string, std::string> samples;
    std::map<std::string, std::string> types;
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram|summary|untyped))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf))");
    std::istringstream is(text);
    std::string line;
    std::smatch m;
    while (std::getline(is, line)) {
        if (std::regex_match(line, m, help)) {
            continue;
        }
        if (std::regex_match(line, m, type)) {
            types[m[1]] = m[2];
            continue;
        }
        if (std::regex_match(line, m, sample)) {
            if (!types.count(m[1])) {
                *error = "sample without TYPE: " + line;
                return {};
            }
            samples[m[1]] = m[5];
            continue;
        }
        *error = "bad line: " + line;
        return {};
    }
    if (text.empty() || text.back() != '\n') {
        *error = "no final newline";
    }
    return samples;
}

}  // namespace

TEST(AppExporterTest, EscapesLabels) {
    EXPECT_EQ("a\\\"b\\\\c\\nd", srs_prometheus_escape("a\"b\\c\nd"));
    EXPECT_EQ("plain", srs_prometheus_escape("plain"));
}

TEST(AppExporterTest, MetricsFormatAndValues) {
    SrsStatistic stat;
    SrsSystemInfo sys;
    sys.sample(srs_update_system_time());
    SrsStatisticRequest req;
    req.vhost = "__defaultVhost__";
    req.app = "live";
    req.stream = "s";
    stat.on_client("c1", req, SrsClientFmlePublish, nullptr);
    stat.on_stream_publish(req, "c1");
    stat.add_bytes("c1", 1000, 10);
    stat.on_client("c2", req, SrsClientRtmpPlay, nullptr);
    stat.on_disconnect("c2", true);

    SrsExporterOptions o;
    o.enabled = true;
    o.label = "cn-\"beijing\"";
    o.tag = "t1";
    std::string text = srs_exporter_metrics(stat, sys, o);
    std::string error;
    std::map<std::string, std::string> s = parse_prometheus(text, &error);
    ASSERT_TRUE(error.empty()) << error << "\n" << text;
    for (const char* k :
         {"srs_build_info", "srs_cpu_percent", "srs_memory", "srs_send_bytes_total", "srs_receive_bytes_total",
          "srs_streams", "srs_clients", "srs_clients_total", "srs_clients_errs_total", "srs_node_uname_info"}) {
        EXPECT_TRUE(s.count(k)) << k;
    }
    EXPECT_EQ("1000", s["srs_receive_bytes_total"]);
    EXPECT_EQ("10", s["srs_send_bytes_total"]);
    EXPECT_EQ("1", s["srs_streams"]);
    EXPECT_EQ("1", s["srs_clients"]);
    EXPECT_EQ("2", s["srs_clients_total"]);
    EXPECT_EQ("1", s["srs_clients_errs_total"]);
    EXPECT_GT(atoll(s["srs_memory"].c_str()), 0);
    EXPECT_NE(std::string::npos, text.find("label=\"cn-\\\"beijing\\\"\""));
    EXPECT_NE(std::string::npos, text.find("tag=\"t1\""));
    EXPECT_NE(std::string::npos, text.find("server=\"" + stat.server_id() + "\""));
    EXPECT_NE(std::string::npos, text.find("# TYPE srs_send_bytes_total counter"));
    EXPECT_NE(std::string::npos, text.find("# TYPE srs_streams gauge"));
}

TEST(AppExporterTest, ServesMetricsOverHttp) {
    SrsStatistic stat;
    SrsSystemInfo sys;
    SrsExporter exporter(&stat, &sys);
    ASSERT_TRUE(exporter.initialize() == srs_success);

    auto call = [&](const std::string& raw) {
        MockHttpRequest m;
        EXPECT_TRUE(m.parse(raw) == srs_success);
        MockHttpIo out;
        SrsHttpResponseWriter w(&out, m.msg.get());
        EXPECT_TRUE(exporter.handler()->serve_http(&w, m.msg.get()) == srs_success);
        EXPECT_TRUE(w.final_request() == srs_success);
        return MockHttpResponse(out.out);
    };

    // Off: nothing to scrape.
    EXPECT_EQ(404, call("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").status);

    SrsExporterOptions o;
    o.enabled = true;
    exporter.set_options(o);
    MockHttpResponse r = call("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(200, r.status);
    EXPECT_TRUE(r.has("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
    EXPECT_NE(std::string::npos, r.body.find("srs_build_info{"));
    EXPECT_EQ(405, call("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status);
    EXPECT_EQ(404, call("GET /other HTTP/1.1\r\nHost: x\r\n\r\n").status);
}
