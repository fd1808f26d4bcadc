#include <gtest/gtest.h>

#include <srs_app_sysinfo.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

using json = nlohmann::ordered_json;

namespace {

const char* kSelfStat =
    "4242 (srs (x) y) S 1 4242 4242 0 -1 4194560 1500 0 3 0 120 30 0 0 20 0 1 0 555 104857600 2560 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";
const char* kSystemStat =
    "cpu  1000 10 500 8000 100 0 50 0 0 0\n"
    "cpu0 500 5 250 4000 50 0 25 0 0 0\n"
    "intr 12345\n";
const char* kMeminfo =
    "MemTotal:       16000000 kB\n"
    "MemFree:         4000000 kB\n"
    "MemAvailable:   10000000 kB\n"
    "Buffers:         1000000 kB\n"
    "Cached:          3000000 kB\n"
    "SwapTotal:       2000000 kB\n"
    "SwapFree:        1500000 kB\n";
const char* kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls "
    "carrier compressed\n"
    "    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n"
    "  eth0: 5000 50 1 2 0 0 0 0 7000 70 3 4 0 0 0 0\n"
    "  eth1:200 2 0 0 0 0 0 0 300 3 0 0 0 0 0 0\n";
const char* kDiskstats =
    "   8       0 sda 100 0 2048 10 50 0 4096 20 0 100 30 0 0 0 0\n"
    "   8       1 sda1 100 0 2048 10 50 0 4096 20 0 100 30 0 0 0 0\n"
    "   7       0 loop0 1 0 2 0 0 0 0 0 0 0 0 0 0 0 0\n";
const char* kSockstat =
    "sockets: used 300\n"
    "TCP: inuse 5 orphan 0 tw 2 alloc 8 mem 1\n"
    "UDP: inuse 3 mem 2\n";
const char* kSnmp =
    "Ip: Forwarding DefaultTTL\n"
    "Ip: 1 64\n"
    "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab\n"
    "Tcp: 1 200 120000 -1 10 20 0 0 6\n";

// A fake /proc in a temp dir.
class FakeProc {
public:
    FakeProc() {
        char tmpl[] = "/tmp/srs-utest-proc-XXXXXX";
        dir = mkdtemp(tmpl);
        mkdir((dir + "/self").c_str(), 0755);
        mkdir((dir + "/net").c_str(), 0755);
    }
    ~FakeProc() { (void)system(("rm -rf " + dir).c_str()); }
    void write(const std::string& name, const std::string& text) {
        std::ofstream f(dir + "/" + name);
        f << text;
    }
    void write_all() {
        write("self/stat", kSelfStat);
        write("stat", kSystemStat);
        write("meminfo", kMeminfo);
        write("uptime", "1056007.40 8292082.50\n");
        write("loadavg", "0.23 0.17 0.15 1/200 4242\n");
        write("net/dev", kNetDev);
        write("diskstats", kDiskstats);
        write("net/sockstat", kSockstat);
        write("net/snmp", kSnmp);
    }
    std::string dir;
};

}  // namespace

TEST(AppSysinfoTest, ParseSelfStatWithOddComm) {
    SrsProcSelfStat s;
    ASSERT_TRUE(srs_parse_proc_self_stat(kSelfStat, &s));
    EXPECT_EQ(4242, s.pid);
    EXPECT_EQ("srs (x) y", s.comm);
    EXPECT_EQ('S', s.state);
    EXPECT_EQ(1, s.ppid);
    EXPECT_EQ(120u, s.utime);
    EXPECT_EQ(30u, s.stime);
    EXPECT_EQ(104857600u, s.vsize);
    EXPECT_EQ(2560, s.rss);
    EXPECT_EQ(17, s.exit_signal);

    EXPECT_FALSE(srs_parse_proc_self_stat("", &s));
    EXPECT_FALSE(srs_parse_proc_self_stat("42 (srs) S 1 2", &s));
    EXPECT_FALSE(srs_parse_proc_self_stat("garbage)(", &s));
}

TEST(AppSysinfoTest, ParseSystemStat) {
    SrsProcSystemStat s;
    ASSERT_TRUE(srs_parse_proc_system_stat(kSystemStat, &s));
    EXPECT_EQ(1000u, s.user);
    EXPECT_EQ(8000u, s.idle);
    EXPECT_EQ(50u, s.softirq);
    EXPECT_EQ(9660u, s.total());
    EXPECT_FALSE(srs_parse_proc_system_stat("cpu0 1 2 3 4\n", &s));
    EXPECT_FALSE(srs_parse_proc_system_stat("cpu  x\n", &s));
}

TEST(AppSysinfoTest, ParseMeminfoDerivesSrsFields) {
    SrsMemInfo m;
    ASSERT_TRUE(srs_parse_meminfo(kMeminfo, &m));
    EXPECT_EQ(16000000, m.MemTotal);
    EXPECT_EQ(12000000, m.MemActive);
    EXPECT_EQ(8000000, m.RealInUse);
    EXPECT_EQ(8000000, m.NotInUse);
    EXPECT_DOUBLE_EQ(0.5, m.percent_ram);
    EXPECT_DOUBLE_EQ(0.25, m.percent_swap);
    EXPECT_FALSE(srs_parse_meminfo("MemFree: 1 kB\n", &m));
    EXPECT_FALSE(srs_parse_meminfo("MemTotal: 0 kB\n", &m));
}

TEST(AppSysinfoTest, ParseUptimeLoadNetDiskSockets) {
    SrsPlatformInfo p;
    ASSERT_TRUE(srs_parse_uptime("100.5 300.25\n", &p));
    EXPECT_DOUBLE_EQ(100.5, p.os_uptime);
    EXPECT_DOUBLE_EQ(300.25, p.os_ilde_time);
    ASSERT_TRUE(srs_parse_loadavg("0.23 0.17 0.15 1/200 4242\n", &p));
    EXPECT_DOUBLE_EQ(0.17, p.load_five_minutes);
    EXPECT_FALSE(srs_parse_uptime("x", &p));
    EXPECT_FALSE(srs_parse_loadavg("1 2", &p));

    std::vector<SrsNetworkDevice> devs;
    ASSERT_TRUE(srs_parse_net_dev(kNetDev, &devs));
    ASSERT_EQ(3u, devs.size());
    EXPECT_EQ("eth0", devs[1].name);
    EXPECT_EQ(5000, devs[1].rbytes);
    EXPECT_EQ(7000, devs[1].sbytes);
    EXPECT_EQ(4, devs[1].sdrop);
    EXPECT_EQ("eth1", devs[2].name);
    EXPECT_EQ(300, devs[2].sbytes);
    EXPECT_FALSE(srs_parse_net_dev("Inter-|\n face |\n", &devs));

    SrsDiskStat d;
    ASSERT_TRUE(srs_parse_diskstats(kDiskstats, {"sda"}, &d));
    EXPECT_EQ(2048u, d.rd_sectors);
    EXPECT_EQ(4096u, d.wr_sectors);
    EXPECT_EQ(100u, d.io_ticks);
    SrsDiskStat none;
    ASSERT_TRUE(srs_parse_diskstats(kDiskstats, {}, &none));
    EXPECT_EQ(0u, none.rd_sectors);
    EXPECT_FALSE(srs_parse_diskstats("", {"sda"}, &none));

    SrsSockStat s;
    ASSERT_TRUE(srs_parse_sockstat(kSockstat, &s));
    EXPECT_EQ(8, s.nb_conn_sys);
    EXPECT_EQ(2, s.nb_conn_sys_tw);
    EXPECT_EQ(3, s.nb_conn_sys_udp);
    ASSERT_TRUE(srs_parse_net_snmp(kSnmp, &s));
    EXPECT_EQ(6, s.nb_conn_sys_et);
    EXPECT_FALSE(srs_parse_net_snmp("Tcp: A B\n", &s));
}

TEST(AppSysinfoTest, InternetAddresses) {
    auto ip = [](int a, int b, int c, int d) { return (uint32_t)((a << 24) | (b << 16) | (c << 8) | d); };
    EXPECT_TRUE(srs_ipv4_is_internet(ip(8, 8, 8, 8)));
    EXPECT_TRUE(srs_ipv4_is_internet(ip(172, 32, 0, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(10, 0, 0, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(172, 16, 0, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(172, 31, 255, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(192, 168, 1, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(127, 0, 0, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(169, 254, 1, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(100, 64, 0, 1)));
    EXPECT_FALSE(srs_ipv4_is_internet(ip(224, 0, 0, 1)));
}

TEST(AppSysinfoTest, SampleComputesCpuAndDiskDeltas) {
    FakeProc proc;
    proc.write_all();
    SrsSystemInfo info(proc.dir);
    info.set_disk_devices({"sda"});
    info.set_device_internet("eth0", true);
    info.set_device_internet("eth1", false);

    srs_utime_t t0 = 1000 * SRS_UTIME_SECONDS;
    info.sample(t0);
    EXPECT_TRUE(info.self().ok);
    EXPECT_DOUBLE_EQ(0, info.self().percent);
    EXPECT_TRUE(info.meminfo().ok);
    EXPECT_TRUE(info.platform().ok);
    EXPECT_EQ(8, info.sockets().nb_conn_sys);
    EXPECT_EQ(6, info.sockets().nb_conn_sys_et);

    // 10 s later: the server used 5 s of CPU; the system was 25% busy; the disk read 10 MiB.
    long tck = sysconf(_SC_CLK_TCK);
    std::string self = kSelfStat;
    self.replace(self.find(" 120 30 "), 8, " " + std::to_string(120 + 4 * tck) + " " + std::to_string(30 + tck) + " ");
    proc.write("self/stat", self);
    proc.write("stat", "cpu  1250 10 500 8750 100 0 50 0 0 0\n");
    proc.write("diskstats", "   8       0 sda 100 0 22528 10 50 0 4096 20 0 5100 30 0 0 0 0\n");
    info.sample(t0 + 10 * SRS_UTIME_SECONDS);

    EXPECT_NEAR(0.5, info.self().percent, 0.001);
    EXPECT_NEAR(0.25, info.system().percent, 0.001);
    EXPECT_EQ(1024, info.disk().in_KBps);
    EXPECT_EQ(0, info.disk().out_KBps);
    EXPECT_NEAR(0.5, info.disk().busy, 0.001);

    SrsSummaryContext ctx;
    ctx.srs_recv_bytes = 11;
    ctx.srs_send_bytes = 22;
    ctx.nb_conn_srs = 3;
    ctx.argv = "./srs -c x.conf";
    ctx.cwd = "/tmp";
    json d = info.dumps_summaries(ctx);
    EXPECT_TRUE(d["ok"].get<bool>());
    EXPECT_TRUE(d["now_ms"].is_number_integer());
    json s = d["self"];
    for (const char* k :
         {"version", "pid", "ppid", "argv", "cwd", "mem_kbyte", "mem_percent", "cpu_percent", "srs_uptime"}) {
        EXPECT_TRUE(s.contains(k)) << k;
    }
    EXPECT_EQ("./srs -c x.conf", s["argv"]);
    EXPECT_EQ(2560 * (sysconf(_SC_PAGESIZE) / 1024), s["mem_kbyte"].get<int64_t>());
    json y = d["system"];
    for (const char* k : {"cpu_percent",       "disk_read_KBps",   "disk_write_KBps",
                          "disk_busy_percent", "mem_ram_kbyte",    "mem_ram_percent",
                          "mem_swap_kbyte",    "mem_swap_percent", "cpus",
                          "cpus_online",       "uptime",           "ilde_time",
                          "load_1m",           "load_5m",          "load_15m",
                          "net_sample_time",   "net_recv_bytes",   "net_send_bytes",
                          "net_recvi_bytes",   "net_sendi_bytes",  "srs_sample_time",
                          "srs_recv_bytes",    "srs_send_bytes",   "conn_sys",
                          "conn_sys_et",       "conn_sys_tw",      "conn_sys_udp",
                          "conn_srs"}) {
        EXPECT_TRUE(y.contains(k)) << k;
    }
    EXPECT_DOUBLE_EQ(8292082.5, y["ilde_time"].get<double>());
    EXPECT_EQ(16000000, y["mem_ram_kbyte"]);
    // eth0 is the internet; lo and eth1 the intranet.
    EXPECT_EQ(5000, y["net_recv_bytes"]);
    EXPECT_EQ(7000, y["net_send_bytes"]);
    EXPECT_EQ(1200, y["net_recvi_bytes"]);
    EXPECT_EQ(1300, y["net_sendi_bytes"]);
    EXPECT_EQ(11, y["srs_recv_bytes"]);
    EXPECT_EQ(3, y["conn_srs"]);

    json m = info.dumps_meminfo();
    EXPECT_EQ(8000000, m["RealInUse"]);
    EXPECT_DOUBLE_EQ(0.5, m["percent_ram"].get<double>());
    json p = info.dumps_self_proc_stat();
    EXPECT_EQ("srs (x) y", p["comm"]);
    EXPECT_EQ("S", p["state"]);
    EXPECT_EQ(4242, p["pid"]);
    json c = info.dumps_system_proc_stat();
    EXPECT_EQ(1250, c["user"]);
    json r = info.dumps_rusage();
    EXPECT_TRUE(r["ok"].get<bool>());
    EXPECT_TRUE(r.contains("ru_maxrss"));
}

TEST(AppSysinfoTest, MissingProcIsNotOk) {
    SrsSystemInfo info("/nonexistent-proc-root");
    info.sample(srs_get_system_time());
    EXPECT_FALSE(info.self().ok);
    EXPECT_FALSE(info.system().ok);
    EXPECT_FALSE(info.meminfo().ok);
    json d = info.dumps_summaries(SrsSummaryContext());
    EXPECT_FALSE(d["ok"].get<bool>());
}

TEST(AppSysinfoTest, RealProcSamples) {
    SrsSystemInfo info;
    info.sample(srs_update_system_time());
    EXPECT_TRUE(info.self().ok);
    EXPECT_EQ(getpid(), info.self().pid);
    EXPECT_TRUE(info.system().ok);
    EXPECT_TRUE(info.meminfo().ok);
    EXPECT_GT(info.self_rss_kbyte(), 0);
    EXPECT_GT(info.nb_processors(), 0);
}
