/**
 * mapletree/mm: an executable model of a Linux process address space on the maple tree.
 */
export {};
