/** After `seconds`, stop the loop and print {"rps":…,"cpuUsPerRequest":…} (CPU: user + system, whole process). */
export function reportAfter(seconds, state) {
  setTimeout(() => {
    state.stop = true;
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ rps: state.count / seconds, cpuUsPerRequest: (cpu.user + cpu.system) / state.count }));
    process.exit(0);
  }, seconds * 1000);
}
