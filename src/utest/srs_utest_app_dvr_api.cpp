// /api/v1/dvrs through the API's handler chain: the list, start and stop of a stream by query
// or JSON body, and the errors (bad request, unknown stream, dvr off, wrong method).
#include <gtest/gtest.h>
#include <srs_utest_http_mock.hpp>
#include <srs_utest_temp_dir.hpp>

#include <srs_app_dvr.hpp>
#include <srs_app_dvr_api.hpp>
#include <srs_app_http_api.hpp>
#include <srs_kernel_message.hpp>

using json = nlohmann::ordered_json;

namespace {

SrsMediaMessage tag(uint8_t type, int64_t ts, std::vector<uint8_t> bytes) {
    return SrsMediaMessage::create(type, ts, 1, (const char*)bytes.data(), (int)bytes.size());
}

class AppDvrApiTest : public testing::Test {
protected:
    void SetUp() override {
        api = std::make_unique<SrsHttpApi>(&stat, &sys, nullptr);
        ASSERT_TRUE(api->initialize() == srs_success);
        ASSERT_TRUE(api->mux()->handle("/api/v1/dvrs", std::make_shared<SrsDvrApi>(api->context(), &dvr)) ==
                    srs_success);
        SrsDvrConfig c;
        c.enabled = true;
        c.apply = {"none/none"};
        c.path = dir.path() + "/[stream].flv";
        dvr.set_fixed_config(c);
    }

    json call(const std::string& method, const std::string& url, const std::string& body = "", int* status = nullptr) {
        MockHttpRequest m;
        std::string raw = method + " " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (!body.empty()) {
            raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
        }
        raw += "\r\n" + body;
        srs_error_t err = m.parse(raw);
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        MockHttpIo out;
        SrsHttpResponseWriter w(&out, m.msg.get());
        err = api->handler()->serve_http(&w, m.msg.get());
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        err = w.final_request();
        EXPECT_TRUE(err == srs_success) << srs_error_desc(err);
        MockHttpResponse res(out.out);
        if (status) {
            *status = res.status;
        }
        return json::parse(res.body, nullptr, false);
    }

    // Publishes: sequence headers and a keyframe, then inter frames.
    void publish(SrsDvrSourceHandler* h) {
        ASSERT_TRUE(h->on_publish() == srs_success);
        EXPECT_TRUE(h->on_video(tag(SrsMsgVideo, 0, {0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f, 0xff})) ==
                    srs_success);
        EXPECT_TRUE(h->on_video(tag(SrsMsgVideo, 0, {0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65})) == srs_success);
    }
    void frames(SrsDvrSourceHandler* h, int64_t from, int64_t to) {
        for (int64_t t = from; t <= to; t += 40) {
            bool key = t % 1000 == 0;
            EXPECT_TRUE(h->on_video(tag(SrsMsgVideo, t,
                                        {(uint8_t)(key ? 0x17 : 0x27), 0x01, 0, 0, 0, 0, 0, 0, 1,
                                         (uint8_t)(key ? 0x65 : 0x41)})) == srs_success);
        }
    }

    srs_utest::SrsUtestTempDir dir{"dvrapi"};
    SrsStatistic stat;
    SrsSystemInfo sys;
    SrsDvrServer dvr;
    std::unique_ptr<SrsHttpApi> api;
};

}  // namespace

TEST_F(AppDvrApiTest, ListStartStop) {
    json j = call("GET", "/api/v1/dvrs");
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(0, j["code"]);
    EXPECT_TRUE(j["dvrs"].is_array());
    EXPECT_TRUE(j["dvrs"].empty());

    SrsDvrSourceHandler h(&dvr, "__defaultVhost__", "live", "s");
    publish(&h);
    EXPECT_FALSE(h.active());

    j = call("POST", "/api/v1/dvrs?app=live&stream=s&action=start");
    EXPECT_EQ(0, j["code"]);
    EXPECT_TRUE(h.active());
    frames(&h, 40, 2000);
    j = call("GET", "/api/v1/dvrs");
    ASSERT_EQ(1u, j["dvrs"].size());
    json d = j["dvrs"][0];
    EXPECT_EQ("__defaultVhost__", d["vhost"]);
    EXPECT_EQ("live", d["app"]);
    EXPECT_EQ("s", d["stream"]);
    EXPECT_EQ(dir.path() + "/s.flv", d["file"]);
    EXPECT_EQ(dir.path() + "/s.flv.tmp", d["tmp"]);
    EXPECT_EQ(1000, d["duration_ms"]);
    EXPECT_GT(d["bytes"].get<int64_t>(), 0);
    EXPECT_EQ(true, d["by_api"]);

    // Stop through a JSON body.
    j = call("POST", "/api/v1/dvrs", R"({"vhost":"__defaultVhost__","app":"live","stream":"s","action":"stop"})");
    EXPECT_EQ(0, j["code"]);
    EXPECT_FALSE(h.active());
    EXPECT_EQ(1, dvr.nb_files());
    EXPECT_TRUE(call("GET", "/api/v1/dvrs")["dvrs"].empty());
    h.on_unpublish();

    // Not published now.
    j = call("POST", "/api/v1/dvrs?app=live&stream=s&action=start");
    EXPECT_EQ(ERROR_SOURCE_NOT_PUBLISHING, j["code"]);
}

TEST_F(AppDvrApiTest, Errors) {
    int status = 0;
    json j = call("POST", "/api/v1/dvrs?app=live&stream=nope&action=start");
    EXPECT_EQ(ERROR_SOURCE_NOT_FOUND, j["code"]);
    j = call("POST", "/api/v1/dvrs?app=live&stream=s&action=pause", "", &status);
    EXPECT_EQ(400, status);
    EXPECT_EQ(ERROR_HTTP_DATA_INVALID, j["code"]);
    j = call("POST", "/api/v1/dvrs?action=start", "", &status);
    EXPECT_EQ(400, status);
    j = call("POST", "/api/v1/dvrs", "not json", &status);
    EXPECT_EQ(400, status);
    EXPECT_EQ(ERROR_HTTP_JSON_REQUIRED, j["code"]);
    j = call("DELETE", "/api/v1/dvrs", "", &status);
    EXPECT_EQ(405, status);

    SrsDvrConfig c;
    c.enabled = false;
    dvr.set_fixed_config(c);
    SrsDvrSourceHandler h(&dvr, "__defaultVhost__", "live", "s");
    publish(&h);
    j = call("POST", "/api/v1/dvrs?app=live&stream=s&action=start");
    EXPECT_EQ(ERROR_DVR_DISABLED, j["code"]);
    h.on_unpublish();
}
