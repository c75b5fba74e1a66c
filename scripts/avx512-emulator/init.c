// The whole user space of the emulated machine (`run.sh`): PID 1 of an initramfs that runs `/prog`
// with the arguments in `/args` (NUL-separated), its output on the serial port between two marker
// lines, the last of which carries the exit status; then it powers the machine off so Bochs exits.
// Built statically by `run.sh`; no shell, no busybox.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void say(const char *text) { (void)!write(1, text, strlen(text)); }

/// ACPI power-off, which makes Bochs exit; Bochs's BIOS shutdown port if that did not.
static void power_off(void) {
    sync();
    reboot(RB_POWER_OFF);
    if (iopl(3) == 0) {
        for (const char *p = "Shutdown"; *p; p++) outb(*p, 0x8900);
    }
    for (;;) pause();
}

int main(void) {
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
    mkdir("/tmp", 01777);
    mount("tmpfs", "/tmp", "tmpfs", 0, NULL);

    int console = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
    if (console < 0) console = open("/dev/console", O_RDWR | O_NOCTTY);
    if (console >= 0) {
        dup2(console, 0); dup2(console, 1); dup2(console, 2);
        if (console > 2) close(console);
    }

    static char arguments[65536];
    char *argv[1024];
    int argc = 0;
    argv[argc++] = "/prog";
    int file = open("/args", O_RDONLY);
    if (file >= 0) {
        ssize_t n = read(file, arguments, sizeof arguments - 1);
        close(file);
        for (char *p = arguments; n > 0 && p < arguments + n && argc < 1023; p += strlen(p) + 1) argv[argc++] = p;
    }
    argv[argc] = NULL;
    char *environment[] = {"PATH=/", "HOME=/", "TERM=dumb", NULL};

    say("\n@@PROGRAM-BEGIN@@\n");
    pid_t child = fork();
    if (child == 0) {
        (void)!chdir("/tmp");
        execve("/prog", argv, environment);
        dprintf(2, "init: cannot run /prog: %s\n", strerror(errno));
        _exit(127);
    }
    char end[64] = "\n@@PROGRAM-END fork-failed@@\n";
    if (child > 0) {
        int status = 0;
        for (;;) {   // PID 1 reaps every orphan until its own child is done
            pid_t done = wait(&status);
            if (done == child) break;
            if (done < 0 && errno != EINTR) { status = 0x7f00; break; }
        }
        if (WIFEXITED(status)) snprintf(end, sizeof end, "\n@@PROGRAM-END exit=%d@@\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status)) snprintf(end, sizeof end, "\n@@PROGRAM-END signal=%d@@\n", WTERMSIG(status));
        else snprintf(end, sizeof end, "\n@@PROGRAM-END unknown@@\n");
    }
    say(end);
    tcdrain(1);
    power_off();
    return 0;
}
