import { expect, test } from '@playwright/test';

test('runs the banknote example from the editor and reports an accuracy', async ({ page }) => {
  await page.goto('/pipelines');
  await page.getByRole('link', { name: 'banknote-forgery-detection' }).click();
  await expect(page.getByTestId('rf__node-evaluate')).toBeVisible();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('learning_rate')).toHaveValue('0.1');
  await dialog.getByLabel('split_seed').fill('7');
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/runs\/[a-z0-9]+/);

  for (const stepId of ['ingest', 'clean', 'split', 'train', 'evaluate']) {
    await expect(page.getByTestId(`rf__node-${stepId}`)).toHaveAttribute('data-status', 'succeeded', { timeout: 90_000 });
  }

  await page.getByTestId('rf__node-evaluate').click();
  const log = page.getByRole('log', { name: 'Step log' });
  await expect(log).toContainText(/accuracy: 0\.9\d+/);
  await expect(log).toContainText('confusion matrix');

  // The run kept the parameter the person changed.
  const runId = new URL(page.url()).pathname.split('/').at(-1);
  const run = await (await page.request.get(`/api/runs/${runId}`)).json();
  expect(run.parameters.split_seed).toBe(7);
  expect(run.status).toBe('succeeded');
});
