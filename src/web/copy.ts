// Copy buttons next to commands: the command's text to the clipboard.
export function wireCopyButtons(): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>("[data-copy]"))) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy!);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.textContent ?? "");
        button.textContent = "Copied";
      } catch {
        getSelection()?.selectAllChildren(source);
        button.textContent = "Selected: press Ctrl-C";
      }
    });
  }
}
