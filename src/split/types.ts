/** What the splitter produces from one page. */
export interface PageComment {
  /** Author as shown on the page, or null when the page shows none. */
  author: string | null;
  /** Time as shown on the page ("March 3, 2021 at 6:14 pm", "2 days ago"), or null. */
  time: string | null;
  /** Reply depth: 0 for a top-level comment, 1 for a reply, and so on, where the page shows nesting. */
  depth: number;
  text: string;
}

export interface SplitPage {
  /** File path, URL or "-" the page came from. */
  source: string;
  /** Article title where visible, else null. */
  title: string | null;
  /** Article body text, paragraphs separated by blank lines. */
  body: string;
  comments: PageComment[];
}

export type PageFormat = 'auto' | 'text' | 'html';
