// Runs all unit tests inside an ST environment, so coroutine code can be tested directly.
#include <fnmatch.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <srs_core_error.hpp>
#include <srs_core_log.hpp>
#include <srs_core_st.hpp>

#ifndef SRS_SKIP_ALLOWLIST
#define SRS_SKIP_ALLOWLIST ""
#endif

namespace {

// A test that blocked outside ST (ffmpeg through system()) leaves ST's clock stale, and the
// next test's timed IO would then time out at once: yield once before each test so ST reads
// the clock again.
class SrsStClockRefresher : public testing::EmptyTestEventListener {
    void OnTestStart(const testing::TestInfo&) override { srs_usleep(1); }
};

// Collects the GTEST_SKIPs with their reason: --gtest_brief=1 prints none of them, and a skip
// in CI is a test that did not run.
class SrsSkipCollector : public testing::EmptyTestEventListener {
public:
    std::vector<std::pair<std::string, std::string>> skipped;

private:
    void OnTestEnd(const testing::TestInfo& info) override {
        const testing::TestResult* r = info.result();
        if (!r || !r->Skipped()) {
            return;
        }
        std::string why;
        for (int i = 0; i < r->total_part_count(); i++) {
            const testing::TestPartResult& part = r->GetTestPartResult(i);
            if (part.skipped() && part.message()) {
                why += part.message();
            }
        }
        skipped.emplace_back(std::string("utest.") + info.test_suite_name() + "." + info.name(), why);
    }
};

// The patterns of tests/skip-allowlist.txt: `<pattern> <why>` per line, `#` comments; a line
// without its reason allows nothing.
std::vector<std::string> srs_skip_allowlist(const std::string& path) {
    std::vector<std::string> out;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream is(line);
        std::string pattern, why;
        if (is >> pattern >> why) {
            out.push_back(pattern);
        }
    }
    return out;
}

bool srs_in_ci() {
    const char* ci = getenv("CI");
    std::string v = ci ? ci : "";
    return v == "1" || v == "true" || v == "TRUE" || v == "True" || v == "yes";
}

// Prints every skip; returns how many CI does not allow (0 outside CI).
int srs_report_skips(const SrsSkipCollector& c) {
    std::vector<std::string> allow = srs_skip_allowlist(SRS_SKIP_ALLOWLIST);
    int bad = 0;
    for (const auto& s : c.skipped) {
        bool allowed = false;
        for (const std::string& p : allow) {
            allowed = allowed || fnmatch(p.c_str(), s.first.c_str(), 0) == 0;
        }
        fprintf(stderr, "SKIPPED %s: %s%s\n", s.first.c_str(), s.second.c_str(), allowed ? " (allow-listed)" : "");
        bad += allowed ? 0 : 1;
    }
    if (bad && srs_in_ci()) {
        fprintf(stderr, "CI: %d skip(s) not in %s; each one is a test that did not run\n", bad, SRS_SKIP_ALLOWLIST);
        return bad;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    srs_error_t err = srs_st_init();
    if (err) {
        fprintf(stderr, "st init: %s\n", srs_error_desc(err).c_str());
        return 1;
    }
    // Tests check behaviour, not log lines; keep the output readable.
    srs_logger().configure(SrsLogLevelError, "");
    testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
    listeners.Append(new SrsStClockRefresher());
    // Owned by gtest once appended; read after the run.
    SrsSkipCollector* skips = new SrsSkipCollector();
    listeners.Append(skips);
    int r = RUN_ALL_TESTS();
    if (srs_report_skips(*skips) > 0) {
        return 1;
    }
    return r;
}
