import { expect, test, type Page } from '@playwright/test';

/** Drags a palette entry onto the canvas at a point given relative to the canvas's top-left corner. */
async function dragFromPalette(page: Page, entry: string, target: { x: number; y: number }) {
  const pane = page.locator('.react-flow__pane');
  await page.getByRole('button', { name: entry, exact: true }).dragTo(pane, { targetPosition: target });
}

async function selectStep(page: Page, stepId: string) {
  await page.getByTestId(`rf__node-${stepId}`).click();
  await expect(page.getByLabel('Id', { exact: true })).toHaveValue(stepId);
}

test('builds a two-step pipeline by drag and drop, runs it and shows the handed-over value', async ({ page }) => {
  const pipelineName = `e2e handover ${Date.now()}`;

  await page.goto('/pipelines');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await page.getByRole('dialog', { name: 'New pipeline' }).getByLabel('Name', { exact: true }).fill(pipelineName);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/\/pipelines\/[a-z0-9]+$/);

  await dragFromPalette(page, 'Shell script', { x: 150, y: 150 });
  await expect(page.getByTestId('rf__node-shell-1')).toBeVisible();
  await dragFromPalette(page, 'Shell script', { x: 550, y: 150 });
  await expect(page.getByTestId('rf__node-shell-2')).toBeVisible();

  // The producer writes a value to its output file; the path arrives as $1 (argv, no quoting).
  await selectStep(page, 'shell-1');
  await page.getByLabel('Name', { exact: true }).fill('producer');
  await page.getByLabel('Script', { exact: true }).fill('echo "producing"; printf "%s" "hello from the producer" > "$1"');
  await page.getByLabel('Arguments', { exact: true }).fill('{{outputs.output_1}}');
  await expect(page.getByLabel('Arguments', { exact: true })).toHaveAccessibleDescription(/^Arguments: \$1, \$2… in the script\./);
  await page.getByRole('button', { name: 'Add output' }).click();
  await expect(page.getByLabel('Output 1 name', { exact: true })).toHaveValue('output_1');

  // The consumer prints what it received through its input.
  await selectStep(page, 'shell-2');
  await page.getByLabel('Name', { exact: true }).fill('consumer');
  await page.getByRole('button', { name: 'Add input' }).click();
  await expect(page.getByLabel('Input 1 name', { exact: true })).toHaveValue('input_1');
  await page.getByLabel('Script', { exact: true }).fill('echo "consumer received: $1"');
  await page.getByLabel('Arguments', { exact: true }).fill('{{inputs.input_1}}');

  // Wire producer.output_1 → consumer.input_1 on the canvas.
  const source = page.locator('[data-nodeid="shell-1"][data-handleid="out:output_1"]');
  const target = page.locator('[data-nodeid="shell-2"][data-handleid="in:input_1"]');
  await source.dragTo(target);
  await expect(page.locator('[data-testid="rf__edge-input:shell-2.input_1"]')).toHaveCount(1);

  // Clicking the canvas keeps every edit; the edge made the pipeline valid.
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await expect(page.getByTestId('step-problem-count')).toHaveCount(0);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

  // A reload shows what was saved, edge included.
  await page.reload();
  await expect(page.locator('[data-testid="rf__edge-input:shell-2.input_1"]')).toHaveCount(1);
  await selectStep(page, 'shell-1');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('producer');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+/);

  await expect(page.getByTestId('rf__node-shell-1')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('rf__node-shell-2')).toHaveAttribute('data-status', 'succeeded');

  await page.getByTestId('rf__node-shell-2').click();
  const log = page.getByRole('log', { name: 'Step log' });
  await expect(log).toContainText('consumer received: hello from the producer');
});
