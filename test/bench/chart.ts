/** A horizontal bar chart in the terminal, for figures people compare. */
export function barChart(rows: { label: string; value: number; unit: string }[], width = 40): string {
  const max = Math.max(...rows.map((r) => r.value), 1);
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  return rows
    .map((r) => {
      const n = Math.max(r.value > 0 ? 1 : 0, Math.round((r.value / max) * width));
      return `${r.label.padEnd(labelWidth)} ${"█".repeat(n)}${" ".repeat(width - n)} ${Math.round(r.value).toLocaleString("en-US")} ${r.unit}`;
    })
    .join("\n");
}
