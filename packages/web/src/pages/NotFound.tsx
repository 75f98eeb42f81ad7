import FileQuestion from "lucide-solid/icons/file-question-mark";
import { ButtonLink } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { Page } from "../components/Page";

export default function NotFound() {
  return (
    <Page narrow>
      <EmptyState
        icon={<FileQuestion />}
        title="Page not found"
        action={
          <ButtonLink href="/" variant="primary">
            Go home
          </ButtonLink>
        }
      >
        There is nothing at this address. It may have moved, or the link is wrong.
      </EmptyState>
    </Page>
  );
}
